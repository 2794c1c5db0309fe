package dev.llamajvm;

/**
 * How to load a model. Immutable: each {@code with}-style method returns a changed copy.
 *
 * @param gpuLayers        layers to offload to a GPU; {@link #ALL_LAYERS} for all, 0 for none
 * @param mmap             map the file instead of reading it (shares pages between processes)
 * @param mlock            keep the model's pages in RAM
 * @param vocabOnly        load only the vocabulary: enough to tokenize, not to generate
 * @param progressListener hears load progress and may cancel it; null for none
 */
public record ModelOptions(int gpuLayers, boolean mmap, boolean mlock, boolean vocabOnly,
                           ProgressListener progressListener) {

    /** Offload every layer a GPU backend can take. */
    public static final int ALL_LAYERS = -1;

    /** llama.cpp's defaults: all layers on the GPU if there is one, mmap on, no mlock. */
    public static ModelOptions defaults() {
        return new ModelOptions(ALL_LAYERS, true, false, false, null);
    }

    public ModelOptions gpuLayers(int layers) {
        return new ModelOptions(layers, mmap, mlock, vocabOnly, progressListener);
    }

    public ModelOptions mmap(boolean on) {
        return new ModelOptions(gpuLayers, on, mlock, vocabOnly, progressListener);
    }

    public ModelOptions mlock(boolean on) {
        return new ModelOptions(gpuLayers, mmap, on, vocabOnly, progressListener);
    }

    public ModelOptions vocabOnly(boolean on) {
        return new ModelOptions(gpuLayers, mmap, mlock, on, progressListener);
    }

    public ModelOptions onProgress(ProgressListener listener) {
        return new ModelOptions(gpuLayers, mmap, mlock, vocabOnly, listener);
    }
}
