#pragma once

// llama-jvm's C bridge to llama.cpp's memory accounting, which is C++ only (src/llama-ext.h). With
// a model loaded with llama_model_params.no_alloc, a context made from it allocates nothing and
// the accounting says what a real one would allocate: the estimate llama.cpp's own --fit uses.

#include "llama.h"

#include <stdint.h>

#if defined(_WIN32)
#    define LLAMA_JVM_MEMORY_API __declspec(dllexport)
#else
#    define LLAMA_JVM_MEMORY_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

// Bytes of a context and its model, by purpose, in host memory (CPU buffers, mapped files
// included) and in accelerator memory (every other device together).
struct llama_jvm_memory_use {
    uint64_t host_weights;
    uint64_t host_cache;    // KV cache or recurrent state
    uint64_t host_compute;  // the compute buffers of the worst-case graph
    uint64_t device_weights;
    uint64_t device_cache;
    uint64_t device_compute;
};

// Fills *out from llama.cpp's memory breakdown of ctx. Returns false (and zeroes *out) if that
// failed; no C++ exception crosses this boundary.
LLAMA_JVM_MEMORY_API bool llama_jvm_memory_use_of(const struct llama_context * ctx, struct llama_jvm_memory_use * out);

#ifdef __cplusplus
}
#endif
