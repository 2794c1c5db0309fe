package dev.llamajvm.internal.engine;

import dev.llamajvm.ProgressListener;

/**
 * Carries llama.cpp's load progress to a listener; a throwing or refusing listener cancels the
 * load. Called from the loading thread; the results are read after the load returns.
 */
public final class ProgressRelay {

    private final ProgressListener listener;
    private volatile boolean cancelled;
    private volatile Throwable failure;

    public ProgressRelay(ProgressListener listener) {
        this.listener = listener;
    }

    /** llama.cpp's progress callback: true goes on, false cancels. Never throws. */
    public boolean onProgress(float progress) {
        try {
            cancelled = !listener.onProgress(progress);
        } catch (Throwable t) {
            failure = t;
            cancelled = true;
        }
        return !cancelled;
    }

    public boolean cancelled() { return cancelled; }

    /** What the listener threw, or null. */
    public Throwable failure() { return failure; }
}
