package dev.llamajvm;

/**
 * What llama.cpp would allocate to load a model and open one session on it, from
 * {@link LlamaModel#estimateMemory(java.nio.file.Path, ModelOptions, SessionOptions)}: llama.cpp's
 * own accounting (the one its {@code --fit} option uses), made without allocating the weights,
 * the cache or the compute buffers.
 *
 * <p>Compare {@link #host()} with the free RAM and {@link #device()} with the free memory of the
 * GPU before loading. Each further session of the model needs its cache and compute bytes again;
 * the weights are shared. With mmap on (the default) the host weights are pages of the file,
 * which the OS can evict and read again, but they all need to stay resident to run at full speed.
 *
 * @param host   bytes in host memory (RAM)
 * @param device bytes in accelerator memory (all GPUs together); zero without GPU offload
 */
public record MemoryEstimate(Usage host, Usage device) {

    public MemoryEstimate {
        java.util.Objects.requireNonNull(host, "host");
        java.util.Objects.requireNonNull(device, "device");
    }

    /**
     * Bytes of one kind of memory, by purpose.
     *
     * @param weightBytes  the model's tensors
     * @param cacheBytes   the session's KV cache (or recurrent state), for its whole context size
     * @param computeBytes the session's compute buffers, sized for its largest batch
     */
    public record Usage(long weightBytes, long cacheBytes, long computeBytes) {

        public Usage {
            if (weightBytes < 0 || cacheBytes < 0 || computeBytes < 0) {
                throw new IllegalArgumentException("byte counts cannot be negative: " + weightBytes + ", "
                        + cacheBytes + ", " + computeBytes);
            }
        }

        /** Everything together. */
        public long totalBytes() {
            return weightBytes + cacheBytes + computeBytes;
        }
    }

    /** Host and device memory together. */
    public long totalBytes() {
        return host.totalBytes() + device.totalBytes();
    }
}
