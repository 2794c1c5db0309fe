#pragma once

// llama-jvm's C bridge to what ggml asks a CPU variant before choosing it. ggml_backend_load
// refuses a variant whose score is 0 but publishes no way to ask; the Java loader asks each one
// to choose among them (in this process, so the answer is this CPU's: under an emulator, the
// emulated one's). The Panama engine opens the module itself; the JNI engine calls this.

#if defined(_WIN32)
#    define LLAMA_JVM_BACKEND_API __declspec(dllexport)
#else
#    define LLAMA_JVM_BACKEND_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

// The module's ggml_backend_score() (it reads cpuid only), 0 when it has none, -1 when the module
// cannot be opened. The module is closed again.
LLAMA_JVM_BACKEND_API int llama_jvm_backend_score(const char * module_path);

#ifdef __cplusplus
}
#endif
