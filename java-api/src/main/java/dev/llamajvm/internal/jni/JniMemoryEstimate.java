package dev.llamajvm.internal.jni;

import dev.llamajvm.LlamaException;
import dev.llamajvm.MemoryEstimate;
import dev.llamajvm.ModelLoadException;
import dev.llamajvm.ModelOptions;
import dev.llamajvm.SessionOptions;
import dev.llamajvm.bindings.jni.Llama;
import dev.llamajvm.internal.engine.ContextLimit;
import dev.llamajvm.internal.engine.NativeLog;

import java.nio.file.Path;

/**
 * llama.cpp's dry run, as its {@code --fit} does it: the model loaded with {@code no_alloc} and a
 * context made from it, which then allocates nothing either; llama.cpp's memory accounting of that
 * context is the estimate. The same steps as the Panama engine's.
 */
final class JniMemoryEstimate {

    private JniMemoryEstimate() {}

    static MemoryEstimate of(Path path, ModelOptions modelOptions, SessionOptions sessionOptions) {
        JniModel.GuardedLoad model;
        try (Llama.llama_model_params modelParams = Llama.llama_model_default_params()) {
            modelParams.n_gpu_layers(modelOptions.gpuLayers());
            modelParams.no_alloc(true);
            // llama.cpp maps nothing in a dry run (mapping asserts that tensors are allocated).
            modelParams.load_mode(Llama.LLAMA_LOAD_MODE_NONE);
            model = JniModel.GuardedLoad.of(path, modelParams);
        }
        if (model.model() == null) {
            throw new ModelLoadException("llama.cpp could not read " + path + " to estimate its memory"
                    + (model.thrown() == null ? "" : ": " + model.thrown()), model.log());
        }
        try {
            int trained = Llama.llama_model_n_ctx_train(model.model());
            SessionOptions resolved = sessionOptions.forModel(trained);
            // The dry run fills in the cache's bookkeeping for real: the same limit holds.
            ContextLimit.check(resolved.contextSize(), trained);
            try (Llama.llama_context_params contextParams = JniContext.params(resolved)) {
                NativeLog.Captured<Llama.llama_context> context =
                        NativeLog.capture(() -> Llama.llama_init_from_model(model.model(), contextParams));
                if (context.value() == null || context.value().isNull()) {
                    throw new LlamaException("llama.cpp refused a context (" + resolved + ") for " + path,
                            context.reason());
                }
                try {
                    return usageOf(context.value());
                } finally {
                    Llama.llama_free(context.value());
                }
            }
        } finally {
            Llama.llama_model_free(model.model());
        }
    }

    /** llama.cpp's account of what {@code context} and its model hold, or would hold in a dry run. */
    private static MemoryEstimate usageOf(Llama.llama_context context) {
        try (Llama.llama_jvm_memory_use use = new Llama.llama_jvm_memory_use()) {
            if (!Llama.llama_jvm_memory_use_of(context, use)) {
                throw new LlamaException("llama.cpp could not account for the memory of a context");
            }
            return new MemoryEstimate(
                    new MemoryEstimate.Usage(use.host_weights(), use.host_cache(), use.host_compute()),
                    new MemoryEstimate.Usage(use.device_weights(), use.device_cache(), use.device_compute()));
        }
    }
}
