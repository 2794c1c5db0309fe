package dev.llamajvm.soak;

import dev.llamajvm.LlamaModel;
import dev.llamajvm.Projector;
import dev.llamajvm.testing.TinyVision;

import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A model the workers share and any of them may reload (close and load again) while the others
 * use it: those then get exceptions, which {@link #changedSince} lets them recognise as provoked.
 * Optionally with the tiny vision projector loaded on it. Thread-safe.
 */
final class ModelSlot implements AutoCloseable {

    /** A model (and projector, or null) as one worker took it; {@code generation} counts reloads. */
    record Lease(LlamaModel model, Projector projector, long generation) {
    }

    private final String name;
    private final Path path;
    private final boolean withProjector;
    private final ReentrantLock reloading = new ReentrantLock();
    private volatile Lease current;

    ModelSlot(String name, Path path, boolean withProjector) {
        this.name = name;
        this.path = path;
        this.withProjector = withProjector;
        this.current = open(0);
    }

    String name() {
        return name;
    }

    Path path() {
        return path;
    }

    boolean hasProjector() {
        return withProjector;
    }

    Lease lease() {
        return current;
    }

    /** Whether the model of {@code lease} was reloaded (and so closed) since it was taken. */
    boolean changedSince(Lease lease) {
        return current.generation() != lease.generation();
    }

    /**
     * Loads the model again, publishes it, then closes the old one under whoever still uses it.
     *
     * @return false if another thread is reloading it already
     */
    boolean reload() {
        if (!reloading.tryLock()) {
            return false;
        }
        try {
            Lease old = current;
            current = open(old.generation() + 1);
            old.model().close(); // closes its sessions and projector; their users get exceptions
            return true;
        } finally {
            reloading.unlock();
        }
    }

    private Lease open(long generation) {
        LlamaModel model = LlamaModel.load(path);
        try {
            Projector projector = withProjector
                    ? model.loadProjector(TinyVision.projector(model.info().embeddingSize()), TinyVision.options()) : null;
            return new Lease(model, projector, generation);
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    @Override
    public void close() {
        current.model().close();
    }
}
