package dev.llamajvm.internal;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The open-until-closed span of a native owner that many threads may call at once: calls run
 * while it is open, and closing waits for the calls in progress, so nothing is freed under one.
 * Thread-safe.
 */
public final class Lifetime {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Supplier<String> name;
    private volatile boolean closed;

    /** {@code name} says what is closed in the exception, e.g. "the model x.gguf". */
    public Lifetime(Supplier<String> name) {
        this.name = name;
    }

    /** Runs {@code work} while open (many threads at once); close waits for it. */
    public <T> T use(Supplier<T> work) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException(name.get() + " is closed");
            }
            return work.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Closes, once: waits for calls in progress, then runs {@code atClose} with no call running.
     *
     * @throws IllegalStateException if called from inside {@link #use} (it would wait for itself)
     * @return false if it was closed already ({@code atClose} did not run)
     */
    public boolean close(Runnable atClose) {
        if (lock.getReadHoldCount() > 0) {
            // A read lock cannot become the write lock: waiting here would wait for ourselves forever.
            throw new IllegalStateException("cannot close " + name.get() + " from inside one of its own calls");
        }
        lock.writeLock().lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            atClose.run();
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Runs {@code work} with no call running (after close: to free what callers used). */
    public void exclusively(Runnable work) {
        lock.writeLock().lock();
        try {
            work.run();
        } finally {
            lock.writeLock().unlock();
        }
    }

    public boolean isClosed() {
        return closed;
    }
}
