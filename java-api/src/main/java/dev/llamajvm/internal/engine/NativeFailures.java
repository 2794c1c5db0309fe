package dev.llamajvm.internal.engine;

import dev.llamajvm.LlamaException;
import dev.llamajvm.ModelLoadException;
import dev.llamajvm.ModelOptions;
import dev.llamajvm.SessionOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The exceptions of failed loads and context creations, the same from both engines. Running out of
 * memory is told apart from the rest, with the size that failed: the remedy differs. Stateless.
 */
public final class NativeFailures {

    private NativeFailures() {}

    /**
     * A failed model load: {@code log} is what llama.cpp logged, {@code thrown} what the C++ guard
     * caught (or null), {@code relay} the progress listener's relay (or null).
     */
    public static ModelLoadException modelLoad(Path path, ModelOptions options, List<String> log, String thrown,
                                               ProgressRelay relay) {
        String what = relay != null && relay.cancelled() ? "loading " + path + " was cancelled by the progress listener"
                : loadMessage(path, options, log, thrown);
        ModelLoadException e = new ModelLoadException(what, log);
        if (relay != null && relay.failure() != null) {
            e.initCause(relay.failure());
        }
        return e;
    }

    private static String loadMessage(Path path, ModelOptions options, List<String> log, String thrown) {
        List<String> evidence = new ArrayList<>(log);
        if (thrown != null) {
            evidence.add(thrown);
        }
        return AllocationFailure.in(evidence)
                .map(what -> "not enough memory to load " + path + ": " + what
                        + (options.mmap() ? "" : " (with mmap off the weights are read into allocated memory)")
                        + ". LlamaModel.estimateMemory tells what a model needs before loading it")
                .orElse("llama.cpp could not load " + path + (thrown == null ? "" : ": " + thrown));
    }

    /** llama_init_from_model returned NULL (having caught its own allocation failure, if that was it). */
    public static LlamaException contextCreation(SessionOptions options, int trained, List<String> reason) {
        String size = options.contextSize() != 0 ? options.contextSize() + " tokens"
                : Integer.toUnsignedString(trained) + " tokens (the model's trained length)";
        return AllocationFailure.in(reason)
                .map(what -> new LlamaException("not enough memory for a context of " + size
                        + " in batches of " + options.batchSize() + ": " + what + " (" + options
                        + "). LlamaModel.estimateMemory tells what a session needs before opening it", reason))
                .orElseGet(() -> new LlamaException("llama.cpp could not create a context (" + options + ")", reason));
    }
}
