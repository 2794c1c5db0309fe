package dev.llamajvm;

/**
 * How to load a model. Immutable: each {@code with}-style method returns a changed copy.
 *
 * @param gpuLayers        layers to offload to a GPU; {@link #ALL_LAYERS} for all, 0 for none
 * @param mmap             map the file instead of reading it (shares pages between processes)
 * @param mlock            keep the model's pages in RAM
 * @param vocabOnly        load only the vocabulary: enough to tokenize, not to generate
 * @param progressListener hears load progress and may cancel it; null for none
 * @param verifyInChildProcess load the file in a child JVM first, so that a file llama.cpp aborts
 *                             on fails the load instead of killing this JVM; see
 *                             {@link #verifyInChildProcess(boolean)}
 */
public record ModelOptions(int gpuLayers, boolean mmap, boolean mlock, boolean vocabOnly,
                           ProgressListener progressListener, boolean verifyInChildProcess) {

    /** Offload every layer a GPU backend can take. */
    public static final int ALL_LAYERS = -1;

    /** llama.cpp's defaults: all layers on the GPU if there is one, mmap on, no mlock. */
    public static ModelOptions defaults() {
        return new ModelOptions(ALL_LAYERS, true, false, false, null, false);
    }

    public ModelOptions gpuLayers(int layers) {
        return new ModelOptions(layers, mmap, mlock, vocabOnly, progressListener, verifyInChildProcess);
    }

    public ModelOptions mmap(boolean on) {
        return new ModelOptions(gpuLayers, on, mlock, vocabOnly, progressListener, verifyInChildProcess);
    }

    public ModelOptions mlock(boolean on) {
        return new ModelOptions(gpuLayers, mmap, on, vocabOnly, progressListener, verifyInChildProcess);
    }

    public ModelOptions vocabOnly(boolean on) {
        return new ModelOptions(gpuLayers, mmap, mlock, on, progressListener, verifyInChildProcess);
    }

    public ModelOptions onProgress(ProgressListener listener) {
        return new ModelOptions(gpuLayers, mmap, mlock, vocabOnly, listener, verifyInChildProcess);
    }

    /**
     * For files you do not trust: before loading here, load the model once in a child JVM (the same
     * Java, class path and natives; the same options, memory-mapped, no session), and load it here only
     * if the child did not crash. The library checks every file's header for what it knows llama.cpp
     * aborts on; this catches the rest, at the cost of a second load and a JVM start. A child that dies
     * (a native assert, a signal) makes this load throw a {@link ModelLoadException} carrying its exit
     * status and the end of its output. The progress listener hears only the load in this JVM.
     */
    public ModelOptions verifyInChildProcess(boolean on) {
        return new ModelOptions(gpuLayers, mmap, mlock, vocabOnly, progressListener, on);
    }
}
