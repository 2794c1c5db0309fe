package dev.llamajvm;

/**
 * How to load a multimodal projector and what media it accepts. Immutable: each method returns a
 * changed copy.
 *
 * @param useGpu          run the projector on the GPU backend when there is one
 * @param threads         CPU threads for encoding images and audio
 * @param imageMinTokens  fewest tokens an image may become, for projectors with dynamic resolution
 *                        (Qwen-VL and the like); {@link #FROM_PROJECTOR} keeps the file's value
 * @param imageMaxTokens  most tokens an image may become, likewise
 * @param maxMediaBytes   largest encoded image or audio file (or raw pixel/sample array) accepted
 * @param maxImagePixels  largest image accepted, in pixels (width times height), checked from the
 *                        file's header before decoding where the format allows
 * @param warmup          run one encode at load time, so the first image is not slower
 */
public record ProjectorOptions(boolean useGpu, int threads, int imageMinTokens, int imageMaxTokens,
                               long maxMediaBytes, long maxImagePixels, boolean warmup) {

    /** Token limits as the projector file gives them. */
    public static final int FROM_PROJECTOR = -1;

    public ProjectorOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        if (imageMinTokens < FROM_PROJECTOR || imageMaxTokens < FROM_PROJECTOR) {
            throw new IllegalArgumentException("image token limits must be positive or FROM_PROJECTOR");
        }
        if (imageMinTokens > 0 && imageMaxTokens > 0 && imageMinTokens > imageMaxTokens) {
            throw new IllegalArgumentException("imageMinTokens " + imageMinTokens + " > imageMaxTokens " + imageMaxTokens);
        }
        if (maxMediaBytes < 1 || maxImagePixels < 1) {
            throw new IllegalArgumentException("media limits must be positive");
        }
    }

    /**
     * GPU on, all cores, token limits from the projector, media up to 64 MiB and 50 megapixels,
     * warmup on (as llama.cpp's tools do).
     */
    public static ProjectorOptions defaults() {
        return new ProjectorOptions(true, Runtime.getRuntime().availableProcessors(), FROM_PROJECTOR, FROM_PROJECTOR,
                64L << 20, 50_000_000L, true);
    }

    public ProjectorOptions useGpu(boolean on) {
        return new ProjectorOptions(on, threads, imageMinTokens, imageMaxTokens, maxMediaBytes, maxImagePixels, warmup);
    }

    public ProjectorOptions threads(int n) {
        return new ProjectorOptions(useGpu, n, imageMinTokens, imageMaxTokens, maxMediaBytes, maxImagePixels, warmup);
    }

    public ProjectorOptions imageTokens(int min, int max) {
        return new ProjectorOptions(useGpu, threads, min, max, maxMediaBytes, maxImagePixels, warmup);
    }

    public ProjectorOptions maxMediaBytes(long bytes) {
        return new ProjectorOptions(useGpu, threads, imageMinTokens, imageMaxTokens, bytes, maxImagePixels, warmup);
    }

    public ProjectorOptions maxImagePixels(long pixels) {
        return new ProjectorOptions(useGpu, threads, imageMinTokens, imageMaxTokens, maxMediaBytes, pixels, warmup);
    }

    public ProjectorOptions warmup(boolean on) {
        return new ProjectorOptions(useGpu, threads, imageMinTokens, imageMaxTokens, maxMediaBytes, maxImagePixels, on);
    }
}
