package dev.llamajvm.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * An input told as edits of a seed ("stories260K.gguf with these bytes replaced"), so that a crashing
 * model file of a megabyte is kept in the repository as a few lines of text and rebuilt from the real
 * seed when replayed. Text form: {@code seed=NAME} then {@code replace=OFFSET REMOVED HEX} lines,
 * applied in order; lines starting with # are comments.
 */
record SeedDelta(String seed, List<Replace> edits) {

    /** Bytes [offset, offset + removed) of the input so far become {@code inserted}. */
    record Replace(int offset, int removed, byte[] inserted) {}

    /** Edits closer than this are merged into one. */
    private static final int MERGE_GAP = 16;

    /** The delta from the closest seed in {@code seeds} (most bytes in common at both ends). */
    static SeedDelta against(byte[] input, Path seeds) {
        SeedDelta best = null;
        long bestSize = Long.MAX_VALUE;
        try (Stream<Path> files = Files.list(seeds)) {
            for (Path seed : files.sorted().toList()) {
                SeedDelta delta = between(Files.readAllBytes(seed), input, seed.getFileName().toString());
                long size = delta.edits.stream().mapToLong(e -> e.inserted.length + 16).sum();
                if (size < bestSize) {
                    best = delta;
                    bestSize = size;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (best == null) {
            throw new IllegalStateException("no seeds in " + seeds);
        }
        return best;
    }

    static SeedDelta between(byte[] seed, byte[] input, String seedName) {
        List<Replace> edits = new ArrayList<>();
        if (seed.length == input.length) {
            int i = 0;
            while ((i = mismatch(seed, input, i)) >= 0) {
                int end = i, quiet = 0;
                while (end + quiet < seed.length && quiet < MERGE_GAP) {
                    if (seed[end + quiet] != input[end + quiet]) {
                        end += quiet + 1;
                        quiet = 0;
                    } else {
                        quiet++;
                    }
                }
                edits.add(new Replace(i, end - i, Arrays.copyOfRange(input, i, end)));
                i = end;
            }
        } else {
            int prefix = Math.max(0, Arrays.mismatch(seed, input));
            int suffix = 0;
            int room = Math.min(seed.length, input.length) - prefix;
            while (suffix < room && seed[seed.length - 1 - suffix] == input[input.length - 1 - suffix]) {
                suffix++;
            }
            edits.add(new Replace(prefix, seed.length - prefix - suffix,
                    Arrays.copyOfRange(input, prefix, input.length - suffix)));
        }
        return new SeedDelta(seedName, edits);
    }

    private static int mismatch(byte[] a, byte[] b, int from) {
        int m = Arrays.mismatch(a, from, a.length, b, from, b.length);
        return m < 0 ? -1 : from + m;
    }

    /** The input: the edits applied to {@code seedBytes}. */
    byte[] apply(byte[] seedBytes) {
        byte[] out = seedBytes;
        for (Replace e : edits) {
            ByteArrayOutputStream next = new ByteArrayOutputStream(out.length + e.inserted.length);
            next.write(out, 0, e.offset);
            next.writeBytes(e.inserted);
            next.write(out, e.offset + e.removed, out.length - e.offset - e.removed);
            out = next.toByteArray();
        }
        return out;
    }

    /** Bytes the edits carry: what keeping this delta costs. */
    int insertedBytes() {
        return edits.stream().mapToInt(e -> e.inserted.length).sum();
    }

    String text(String comment) {
        StringBuilder s = new StringBuilder();
        comment.lines().forEach(line -> s.append("# ").append(line).append('\n'));
        s.append("seed=").append(seed).append('\n');
        for (Replace e : edits) {
            s.append("replace=").append(e.offset).append(' ').append(e.removed).append(' ')
                    .append(HexFormat.of().formatHex(e.inserted)).append('\n');
        }
        return s.toString();
    }

    static SeedDelta parse(String text) {
        String seed = null;
        List<Replace> edits = new ArrayList<>();
        for (String line : text.lines().map(String::strip).toList()) {
            if (line.startsWith("seed=")) {
                seed = line.substring(5);
            } else if (line.startsWith("replace=")) {
                String[] parts = (line.substring(8) + " ").split(" ", 3);
                edits.add(new Replace(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
                        HexFormat.of().parseHex(parts[2].strip())));
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                throw new IllegalArgumentException("not a delta line: " + line);
            }
        }
        if (seed == null) {
            throw new IllegalArgumentException("a delta names its seed (seed=...)");
        }
        return new SeedDelta(seed, edits);
    }

    static SeedDelta read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
