package dev.llamajvm.internal.engine;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The lines are what llama.cpp v0.4.0 logs (seen in NativeOutOfMemoryTest's runs, and ggml-cuda's source). */
class AllocationFailureTest {

    @Test
    void namesTheSizeGgmlFailedToAllocate() {
        assertEquals(Optional.of("allocating 512.0 GiB (549755813888 bytes) failed"), AllocationFailure.in(List.of(
                "warning: llama_context: n_ctx_seq (16777216) > n_ctx_train (131072) -- possible training context overflow",
                "error: ggml_aligned_malloc: insufficient memory (attempted to allocate 524288.00 MB)",
                "error: ggml_backend_cpu_buffer_type_alloc_buffer: failed to allocate buffer of size 549755813888",
                "error: alloc_tensor_range: failed to allocate CPU buffer of size 549755813888",
                "error: llama_init_from_model: failed to initialize the context: failed to allocate buffer for kv cache")));
        assertEquals(Optional.of("allocating 1.5 GiB (1610612736 bytes) failed"), AllocationFailure.in(List.of(
                "error: ggml_backend_cuda_buffer_type_alloc_buffer: allocating 1536.00 MiB on device 0: cudaMalloc failed: out of memory")));
    }

    @Test
    void aCppAllocationFailureHasNoSize() {
        assertEquals(Optional.of("an allocation failed (std::bad_alloc)"), AllocationFailure.in(List.of(
                "error: llama_init_from_model: failed to initialize the context: std::bad_alloc")));
    }

    @Test
    void otherFailuresAreNotOutOfMemory() {
        assertEquals(Optional.empty(), AllocationFailure.in(List.of(
                "error: llama_init_from_model: quantized V cache requires flash_attn to be enabled")));
        assertEquals(Optional.empty(), AllocationFailure.in(List.of(
                "error: llama_model_load: error loading model: tensor 'blk.0.attn_q.weight' data is not within the file bounds")));
    }
}
