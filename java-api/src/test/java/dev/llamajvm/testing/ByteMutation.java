package dev.llamajvm.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Bytes of a file replaced at given offsets, written {@code 1166=0x41} (several joined by
 * {@code +}): the mutation sweep's random changes, and the crashes it found kept as regression cases
 * without committing binaries.
 */
public record ByteMutation(List<Change> changes) {

    /** The byte at {@code offset} becomes {@code value} (0..255). */
    public record Change(int offset, int value) {
        @Override
        public String toString() {
            return offset + "=0x" + String.format("%02x", value);
        }
    }

    public ByteMutation {
        changes = List.copyOf(changes);
    }

    /** One byte changed. */
    public static ByteMutation of(int offset, int value) {
        return new ByteMutation(List.of(new Change(offset, value)));
    }

    /** Reads what {@link #toString()} wrote. */
    public static ByteMutation parse(String text) {
        return new ByteMutation(Arrays.stream(text.split("\\+")).map(change -> {
            String[] parts = change.split("=");
            return new Change(Integer.parseInt(parts[0]), Integer.decode(parts[1]));
        }).toList());
    }

    /**
     * A random mutation of the first {@code regionEnd} bytes: mostly one byte, sometimes up to four;
     * values drawn uniformly, with extra weight on 0x00, 0xff and 0x80, the edges of counts and lengths.
     */
    public static ByteMutation random(Random random, int regionEnd) {
        int n = random.nextInt(4) == 0 ? 2 + random.nextInt(3) : 1;
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int value = switch (random.nextInt(8)) {
                case 0 -> 0x00;
                case 1 -> 0xff;
                case 2 -> 0x80;
                default -> random.nextInt(256);
            };
            changes.add(new Change(random.nextInt(regionEnd), value));
        }
        return new ByteMutation(changes);
    }

    /** A changed copy of {@code original}. */
    public byte[] applyTo(byte[] original) {
        byte[] copy = original.clone();
        for (Change change : changes) {
            copy[change.offset()] = (byte) change.value();
        }
        return copy;
    }

    /** Writes the changed copy of {@code original} to {@code target} and returns it. */
    public Path writeTo(byte[] original, Path target) {
        try {
            return Files.write(target, applyTo(original));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return changes.stream().map(Change::toString).collect(Collectors.joining("+"));
    }
}
