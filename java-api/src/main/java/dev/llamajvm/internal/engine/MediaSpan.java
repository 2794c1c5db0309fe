package dev.llamajvm.internal.engine;

import java.nio.charset.StandardCharsets;

/**
 * Where one image or audio clip sits in a tokenized prompt: {@code length} positions from
 * {@code start}, holding placeholder ids, and {@code tokens} embeddings (more than positions for
 * models with M-RoPE).
 *
 * <p>Placeholders are negative (no vocabulary has negative ids) and derived from the media's
 * content hash, its size and the position inside it, so a KV cache holding the same image at the
 * same place matches it token for token, and a different image does not.
 */
public record MediaSpan(int index, int start, int length, int tokens, String mediaId) {

    public int end() {
        return start + length;
    }

    /** The placeholder ids of media {@code id} over {@code length} positions holding {@code tokens} embeddings. */
    public static int[] placeholders(String id, int length, int tokens) {
        // The same picture at another token budget is another span (M-RoPE: same positions, other grid).
        long h = 1125899906842597L + 31L * length + tokens;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h = 31 * h + b;
        }
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) {
            ids[i] = -1 - (int) (mix(h + i * 0x9E3779B97F4A7C15L) >>> 33); // in [-2^31, -1]
        }
        return ids;
    }

    public static boolean isPlaceholder(int token) {
        return token < 0;
    }

    /** SplitMix64's finaliser: spreads nearby inputs over all 64 bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
