package dev.llamajvm.internal.engine;

import dev.llamajvm.InferenceException;
import dev.llamajvm.LlamaException;

import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What both engines' contexts do the same way: the batching of a decode, the positions (ours, not
 * llama.cpp's), rolling back whatever a failed or aborted call left in the cache, the checks of a
 * loaded state file, and the abort check. An engine supplies the native calls.
 */
public abstract class ContextBase implements NativeContext {

    /** llama_decode's result codes. */
    protected static final int DECODE_OK = 0, DECODE_NO_SLOT = 1, DECODE_ABORTED = 2;
    /**
     * How often, at most, llama.cpp's abort check asks the session (llama-jvm-abort.h): ggml asks
     * before every graph node, and a cancel then takes effect within this plus one node.
     */
    protected static final long ABORT_CHECK_INTERVAL_MICROS = 1000;

    /** A media decode's result when libmtmd or llama_decode threw (llama_decode's codes are -3..2). */
    public static final int DECODE_THREW = -100;

    /** One llama_decode through the guard: its code, what the guard caught (or null), what it logged. */
    public record Decoded(int code, String thrown, List<String> log) {}

    /** A media span's evaluation: llama_decode's code, the position after it, and the log. */
    public record MediaDecoded(int code, int nextPosition, List<String> log) {}

    /** A state file's tokens, or null when llama.cpp could not load it (with its reason). */
    public record LoadedState(int[] tokens, List<String> reason) {}

    private final int contextSize;
    private final int batchSize;
    private volatile BooleanSupplier abortCheck = () -> false;
    private int cached;

    protected ContextBase(int contextSize, int batchSize) {
        this.contextSize = contextSize;
        this.batchSize = batchSize;
    }

    /** Decodes {@code n} tokens of {@code tokens} from {@code offset}, at positions from {@code firstPosition}. */
    protected abstract Decoded decodeBatch(int[] tokens, int offset, int n, int firstPosition);

    /** Encodes a media span of {@code prompt} and evaluates it from {@code position}. */
    protected abstract MediaDecoded evaluateMedia(NativePrompt prompt, MediaSpan span, int position, int batchSize);

    /** llama_memory_clear. */
    protected abstract void clearMemory();

    /** llama_memory_seq_rm of positions from {@code position} on; false if the memory cannot. */
    protected abstract boolean removeFrom(int position);

    /** llama_state_load_file into a buffer of {@code capacity} tokens. */
    protected abstract LoadedState readState(Path file, int capacity);

    /** llama_memory_seq_pos_max of the sequence. */
    protected abstract int maxPosition();

    /** Runs in an upcall from ggml: must answer, never throw. */
    protected final boolean shouldAbort() {
        try {
            return abortCheck.getAsBoolean();
        } catch (Throwable t) {
            return true;
        }
    }

    protected final int batchSize() {
        return batchSize;
    }

    @Override
    public final int contextSize() {
        return contextSize;
    }

    @Override
    public final boolean decode(int[] tokens, int from, int count) {
        int start = cached;
        for (int done = 0; done < count; ) {
            int n = Math.min(batchSize, count - done);
            // Positions are ours, not llama.cpp's "after the last cached one": with M-RoPE an image
            // spans fewer positions than the cells it fills, and text resumes after its positions.
            Decoded decoded = decodeBatch(tokens, from + done, n, cached);
            if (decoded.code() != DECODE_OK || decoded.thrown() != null) {
                // Nothing of a failed call stays: the failed batch too may have left cells behind
                // (a recurrent memory cannot roll an aborted batch back), and positions are ours.
                cached += n;
                truncate(start);
                if (decoded.thrown() != null) {
                    throw new InferenceException("llama_decode failed: " + decoded.thrown(), decoded.log());
                }
                if (decoded.code() == DECODE_ABORTED) {
                    return false;
                }
                throw new InferenceException(decoded.code() == DECODE_NO_SLOT
                        ? "no room in the KV cache for " + n + " more tokens (context " + contextSize + ")"
                        : "llama_decode failed with code " + decoded.code(), decoded.log());
            }
            cached += n;
            done += n;
        }
        return true;
    }

    @Override
    public final boolean decodeMedia(NativePrompt prompt, MediaSpan span) {
        int start = cached;
        MediaDecoded decoded = evaluateMedia(prompt, span, start, batchSize);
        if (decoded.code() == DECODE_OK) {
            cached = decoded.nextPosition();
            return true;
        }
        cached = start + span.length(); // whatever part of it was decoded goes: nothing of a failed call stays
        truncate(start);
        if (decoded.code() == DECODE_ABORTED) {
            return false;
        }
        throw new InferenceException(decoded.code() == DECODE_NO_SLOT
                ? "no room in the KV cache for " + span.tokens() + " more media tokens (context " + contextSize + ")"
                : decoded.code() == DECODE_THREW ? "decoding the " + span.tokens() + " media embeddings threw"
                : "llama_decode failed on the " + span.tokens() + " media embeddings with code " + decoded.code(),
                decoded.log());
    }

    @Override
    public final int cachedTokens() {
        return cached;
    }

    @Override
    public final void truncate(int position) {
        if (position < cached) {
            if (position == 0) {
                clearMemory();
            } else if (!removeFrom(position)) {
                // Some memories (recurrent models) cannot drop part of a sequence: start over.
                clearMemory();
                position = 0;
            }
            cached = position;
        }
    }

    @Override
    public final void setAbortCheck(BooleanSupplier check) {
        this.abortCheck = check;
    }

    @Override
    public final int[] loadState(Path file) {
        LoadedState loaded = readState(file, contextSize);
        if (loaded.tokens() == null) {
            cached = 0;
            clearMemory();
            throw new LlamaException("could not load the session state from " + file, loaded.reason());
        }
        int n = loaded.tokens().length;
        if (maxPosition() >= n) {
            // Positions are ours from here on: a cache holding more than the file's tokens would
            // make every next decode inconsistent.
            cached = 0;
            clearMemory();
            throw new LlamaException("the session state " + file + " holds more than its " + n + " tokens");
        }
        cached = n;
        return loaded.tokens();
    }
}
