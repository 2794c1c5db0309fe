package dev.llamajvm;

/**
 * Hears how far a model load has come. Called on the loading thread, from native code: an
 * exception it throws cancels the load and becomes the cause of the {@link ModelLoadException}.
 */
@FunctionalInterface
public interface ProgressListener {

    /**
     * @param progress from 0 to 1
     * @return true to go on loading, false to cancel the load
     */
    boolean onProgress(float progress);
}
