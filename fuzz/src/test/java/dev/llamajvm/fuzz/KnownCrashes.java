package dev.llamajvm.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Crashes already filed and being fixed (resource known-crashes.txt: {@code target | signature
 * part | why}): a campaign reports them but does not fail on them. Remove a line once its fix is in.
 */
final class KnownCrashes {

    private record Entry(String target, String signaturePart, String reason) {}

    private static final List<Entry> ENTRIES = load();

    private KnownCrashes() {}

    /** Why the crash is known, if it is. */
    static Optional<String> reason(FuzzTarget target, String signature) {
        return ENTRIES.stream()
                .filter(e -> e.target.equals(target.id()) && signature.contains(e.signaturePart))
                .map(Entry::reason).findFirst();
    }

    private static List<Entry> load() {
        try (InputStream in = KnownCrashes.class.getResourceAsStream("/known-crashes.txt")) {
            if (in == null) {
                return List.of();
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .map(l -> l.split("\\s*\\|\\s*", 3))
                    .map(p -> new Entry(p[0], p[1], p.length > 2 ? p[2] : ""))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
