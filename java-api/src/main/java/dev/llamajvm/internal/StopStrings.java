package dev.llamajvm.internal;

import java.util.List;

/**
 * Finds stop strings in generated text and says how much text is safe to hand out: text that
 * might be the start of a stop string waits until the next piece settles it, so a stream never
 * shows part of a stop string.
 */
public final class StopStrings {

    private final List<String> stops;
    private final int longest;

    public StopStrings(List<String> stops) {
        this.stops = List.copyOf(stops);
        this.longest = stops.stream().mapToInt(String::length).max().orElse(0);
    }

    /** Where the first stop string starts in {@code text} (searching from {@code from}), or -1. */
    public int find(CharSequence text, int from) {
        if (stops.isEmpty()) {
            return -1;
        }
        // Only the tail can hold a new match: what is before it was checked on earlier pieces.
        int start = Math.max(0, from - longest);
        String tail = text.subSequence(start, text.length()).toString();
        int best = -1;
        for (String stop : stops) {
            int at = tail.indexOf(stop);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        return best < 0 ? -1 : start + best;
    }

    /** How many characters at the start of {@code text} cannot belong to a stop string. */
    public int safeLength(CharSequence text) {
        int length = text.length();
        if (stops.isEmpty()) {
            return length;
        }
        for (int keep = Math.min(longest - 1, length); keep > 0; keep--) {
            CharSequence tail = text.subSequence(length - keep, length);
            for (String stop : stops) {
                if (stop.length() > keep && stop.startsWith(tail.toString())) {
                    return length - keep;
                }
            }
        }
        return length;
    }
}
