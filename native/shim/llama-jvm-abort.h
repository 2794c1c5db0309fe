#pragma once

// llama-jvm's throttle for ggml's abort callback. ggml asks the abort callback before each graph
// node: hundreds of times per generated token. When the answer comes from the JVM (a session's
// cancel check, through an upcall), asking each time costs more than a small model's node. The
// throttle asks the real check at most once per interval (the first time always), so a cancel
// takes effect within the interval plus one node.

#include "ggml.h"

#include <stdbool.h>
#include <stdint.h>

#if defined(_WIN32)
#    define LLAMA_JVM_ABORT_API __declspec(dllexport)
#else
#    define LLAMA_JVM_ABORT_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

struct llama_jvm_abort_throttle;

// A throttle asking check(check_data) at most every interval_us microseconds; NULL without memory.
LLAMA_JVM_ABORT_API struct llama_jvm_abort_throttle * llama_jvm_abort_throttle_init(
        ggml_abort_callback check, void * check_data, int64_t interval_us);

LLAMA_JVM_ABORT_API void llama_jvm_abort_throttle_free(struct llama_jvm_abort_throttle * throttle);

// The callback to install as a context's abort_callback, with the throttle as abort_callback_data.
LLAMA_JVM_ABORT_API ggml_abort_callback llama_jvm_abort_throttle_callback(void);

#ifdef __cplusplus
}
#endif
