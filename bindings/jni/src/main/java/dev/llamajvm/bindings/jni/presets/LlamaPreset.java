package dev.llamajvm.bindings.jni.presets;

import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;
import org.bytedeco.javacpp.tools.Info;
import org.bytedeco.javacpp.tools.InfoMap;
import org.bytedeco.javacpp.tools.InfoMapper;

/**
 * JavaCPP's recipe for the JNI bindings: which headers its Parser reads into
 * {@code dev.llamajvm.bindings.jni.Llama} (the generated class, which extends this one) and how
 * their C names map to Java. {@code bindings/jni/generate.sh} runs the Parser and the Generator;
 * the native build compiles the generated JNI source into {@code jnillamajvm}, which the JNI
 * engine loads itself after the llama.cpp libraries (JavaCPP's own loader is not used: the natives
 * jar, its cache and its verification are ours).
 */
@Properties(target = "dev.llamajvm.bindings.jni.Llama",
        value = @Platform(
                include = {"ggml.h", "ggml-backend.h", "gguf.h", "llama.h", "mtmd.h", "mtmd-helper.h",
                        "llama-jvm-chat.h", "llama-jvm-guard.h", "llama-jvm-memory.h", "llama-jvm-backend.h",
                        "llama-jvm-abort.h"},
                link = {"ggml-base@.0", "ggml@.0", "llama@.0", "mtmd@.0", "llama-jvm-chat"},
                library = "jnillamajvm"))
public class LlamaPreset implements InfoMapper {

    @Override
    public void map(InfoMap infoMap) {
        // The headers' C++-only parts (std::map helpers, mtmd's C++ wrappers) stay out: C API only.
        infoMap.put(new Info("__cplusplus").define(false))
               .put(new Info("LLAMA_API", "GGML_API", "GGML_BACKEND_API", "MTMD_API", "LLAMA_JVM_CHAT_API",
                       "LLAMA_JVM_GUARD_API", "LLAMA_JVM_MEMORY_API", "LLAMA_JVM_BACKEND_API", "LLAMA_JVM_ABORT_API", "GGML_RESTRICT", "GGML_NORETURN",
                       "restrict", "__restrict__", "__restrict").cppTypes().annotations())
               .put(new Info("DEPRECATED").cppText("#define DEPRECATED(func, hint) func"))
               .put(new Info("GGML_DEPRECATED").cppText("#define GGML_DEPRECATED(func, hint) func"))
               .put(new Info("GGML_ATTRIBUTE_FORMAT").cppText("#define GGML_ATTRIBUTE_FORMAT(...)"))
               // Training and NUMA set-up need ggml headers left out below; the engine uses neither.
               .put(new Info("llama_numa_init", "llama_opt_params", "llama_opt_init", "llama_opt_epoch",
                       "llama_opt_param_filter", "llama_opt_param_filter_all").skip());

        // Of ggml's headers, only what llama.h, mtmd.h and the engine use (pairs of first and last
        // line): the rest (hundreds of tensor operations) would only grow the JNI library.
        infoMap.put(new Info("ggml.h").linePatterns(
                        "#define GGML_ROPE_TYPE_NORMAL.*", "#define GGML_ROPE_TYPE_IMROPE.*",
                        "\\s*enum ggml_type \\{", "\\s*\\};",
                        "\\s*enum ggml_log_level \\{", "\\s*\\};",
                        "\\s*typedef bool \\(\\*ggml_abort_callback\\).*", "",
                        "\\s*typedef void \\(\\*ggml_log_callback\\).*", "",
                        "\\s*struct ggml_threadpool;.*", ".*ggml_threadpool_t;"))
               .put(new Info("ggml-backend.h").linePatterns(
                        "\\s*typedef struct ggml_backend_buffer_type \\* ggml_backend_buffer_type_t;", ".*ggml_backend_dev_t;",
                        "\\s*enum ggml_backend_dev_type \\{", "\\s*\\};",
                        "\\s*GGML_API const char \\*\\s+ggml_backend_dev_name.*", ".*ggml_backend_dev_type\\(ggml_backend_dev_t device\\);",
                        "\\s*GGML_API size_t\\s+ggml_backend_dev_count.*", ".*ggml_backend_dev_get\\(size_t index\\);",
                        "\\s*GGML_API ggml_backend_reg_t ggml_backend_load\\(.*", ".*",
                        "\\s*typedef bool \\(\\*ggml_backend_sched_eval_callback\\).*", ""))
               // ggml structs llama.h only points to: plain pointers.
               .put(new Info("ggml_tensor", "ggml_context", "ggml_cgraph").cast().pointerTypes("Pointer"))
               // Enums named like a function: C++ needs "enum" to tell the type from the function.
               .put(new Info("ggml_backend_dev_type").valueTypes("@Cast(\"enum ggml_backend_dev_type\") int"))
               .put(new Info("llama_pooling_type").valueTypes("@Cast(\"enum llama_pooling_type\") int"))
               .put(new Info("llama_vocab_type").valueTypes("@Cast(\"enum llama_vocab_type\") int"));

        // Handles typedef'd as pointers to opaque structs: the struct's class stands for the handle.
        String[][] handles = {
                {"llama_memory_t", "llama_memory_i"}, {"ggml_threadpool_t", "ggml_threadpool"},
                {"ggml_backend_buffer_type_t", "ggml_backend_buffer_type"}, {"ggml_backend_buffer_t", "ggml_backend_buffer"},
                {"ggml_backend_event_t", "ggml_backend_event"}, {"ggml_backend_t", "ggml_backend"},
                {"ggml_backend_reg_t", "ggml_backend_reg"}, {"ggml_backend_dev_t", "ggml_backend_device"},
                {"ggml_backend_sched_t", "ggml_backend_sched"}};
        for (String[] handle : handles) {
            infoMap.put(new Info(handle[0]).valueTypes(handle[1])
                    .pointerTypes("@ByPtrPtr " + handle[1], "@Cast(\"" + handle[0] + "*\") PointerPointer"));
        }
    }
}
