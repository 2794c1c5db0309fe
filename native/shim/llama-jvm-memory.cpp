// Implements llama-jvm-memory.h over llama.cpp's staging API (llama-ext.h), as common/fit.cpp does.

#include "llama-jvm-memory.h"

#include "llama-ext.h"

#include "ggml-backend.h"

namespace {

// Whether a buffer type's memory is RAM. Host buffers are (pinned ones of a GPU too), and so are
// the CPU's extra buffer types (AMX, repacked weights), which say they are not host because their
// layout is their own: only a GPU's own buffers are not.
bool in_ram(ggml_backend_buffer_type_t buft) {
    if (ggml_backend_buft_is_host(buft)) {
        return true;
    }
    ggml_backend_dev_t device = ggml_backend_buft_get_device(buft);
    if (device == nullptr) {
        return true;
    }
    const enum ggml_backend_dev_type type = ggml_backend_dev_type(device);
    return type != GGML_BACKEND_DEVICE_TYPE_GPU && type != GGML_BACKEND_DEVICE_TYPE_IGPU;
}

} // namespace

bool llama_jvm_memory_use_of(const struct llama_context * ctx, struct llama_jvm_memory_use * out) {
    *out = {};
    try {
        for (const auto & [buft, use] : llama_get_memory_breakdown(ctx)) {
            const bool host = in_ram(buft);
            (host ? out->host_weights : out->device_weights) += use.model;
            (host ? out->host_cache : out->device_cache) += use.context;
            (host ? out->host_compute : out->device_compute) += use.compute;
        }
        return true;
    } catch (...) {
        *out = {};
        return false;
    }
}
