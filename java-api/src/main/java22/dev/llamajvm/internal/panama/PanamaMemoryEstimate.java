package dev.llamajvm.internal.panama;

import dev.llamajvm.LlamaException;
import dev.llamajvm.MemoryEstimate;
import dev.llamajvm.ModelLoadException;
import dev.llamajvm.ModelOptions;
import dev.llamajvm.SessionOptions;
import dev.llamajvm.internal.engine.NativeLog;
import dev.llamajvm.bindings.llama_h;
import dev.llamajvm.bindings.llama_jvm_memory_h;
import dev.llamajvm.bindings.llama_jvm_memory_use;
import dev.llamajvm.bindings.llama_model_params;
import dev.llamajvm.internal.engine.ContextLimit;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * llama.cpp's dry run, as its {@code --fit} does it: the model loaded with {@code no_alloc} (the
 * metadata and vocabulary are read, no tensor data) and a context made from it, which then
 * allocates nothing either; llama.cpp's memory accounting of that context is the estimate.
 */
final class PanamaMemoryEstimate {

    private PanamaMemoryEstimate() {}

    static MemoryEstimate of(Path path, ModelOptions modelOptions, SessionOptions sessionOptions) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment modelParams = llama_h.llama_model_default_params(arena);
            llama_model_params.n_gpu_layers(modelParams, modelOptions.gpuLayers());
            llama_model_params.no_alloc(modelParams, true);
            // llama.cpp maps nothing in a dry run (mapping asserts that tensors are allocated).
            llama_model_params.load_mode(modelParams, llama_h.LLAMA_LOAD_MODE_NONE());
            // The same file check and C++ guard as a real load: a dry run reads the same metadata.
            PanamaModel.GuardedLoad model = PanamaModel.GuardedLoad.of(path, modelParams, arena);
            if (model.model().equals(MemorySegment.NULL)) {
                throw new ModelLoadException("llama.cpp could not read " + path + " to estimate its memory"
                        + (model.thrown() == null ? "" : ": " + model.thrown()), model.log());
            }
            try {
                int trained = llama_h.llama_model_n_ctx_train(model.model());
                SessionOptions resolved = sessionOptions.forModel(trained);
                // The dry run fills in the cache's bookkeeping for real: the same limit holds.
                ContextLimit.check(resolved.contextSize(), trained);
                MemorySegment contextParams = PanamaContext.params(resolved, arena);
                NativeLog.Captured<MemorySegment> context =
                        NativeLog.capture(() -> llama_h.llama_init_from_model(model.model(), contextParams));
                if (context.value().equals(MemorySegment.NULL)) {
                    throw new LlamaException("llama.cpp refused a context (" + resolved + ") for " + path,
                            context.reason());
                }
                try {
                    return usageOf(context.value(), arena);
                } finally {
                    llama_h.llama_free(context.value());
                }
            } finally {
                llama_h.llama_model_free(model.model());
            }
        }
    }

    /** llama.cpp's account of what {@code context} and its model hold, or would hold in a dry run. */
    private static MemoryEstimate usageOf(MemorySegment context, Arena arena) {
        MemorySegment use = llama_jvm_memory_use.allocate(arena);
        if (!llama_jvm_memory_h.llama_jvm_memory_use_of(context, use)) {
            throw new LlamaException("llama.cpp could not account for the memory of a context");
        }
        return new MemoryEstimate(
                new MemoryEstimate.Usage(llama_jvm_memory_use.host_weights(use), llama_jvm_memory_use.host_cache(use),
                        llama_jvm_memory_use.host_compute(use)),
                new MemoryEstimate.Usage(llama_jvm_memory_use.device_weights(use),
                        llama_jvm_memory_use.device_cache(use), llama_jvm_memory_use.device_compute(use)));
    }
}
