package dev.llamajvm.internal;

import java.util.Arrays;

/**
 * The tokens a context's KV cache holds, in order: what lets a new prompt reuse the cached prefix
 * instead of evaluating it again. Owned by one session; not thread-safe.
 */
public final class TokenHistory {

    private int[] tokens = new int[256];
    private int size;

    public int size() {
        return size;
    }

    public void add(int token) {
        if (size == tokens.length) {
            tokens = Arrays.copyOf(tokens, size * 2);
        }
        tokens[size++] = token;
    }

    public void addAll(int[] more, int from, int count) {
        for (int i = from; i < from + count; i++) {
            add(more[i]);
        }
    }

    /** Forgets tokens from {@code position} on. */
    public void truncate(int position) {
        size = Math.min(size, position);
    }

    /** Length of the common prefix with {@code prompt}. */
    public int commonPrefix(int[] prompt) {
        int n = Math.min(size, prompt.length);
        int i = 0;
        while (i < n && tokens[i] == prompt[i]) {
            i++;
        }
        return i;
    }

    public int[] toArray() {
        return Arrays.copyOf(tokens, size);
    }

    public void replaceWith(int[] newTokens) {
        size = 0;
        addAll(newTokens, 0, newTokens.length);
    }
}
