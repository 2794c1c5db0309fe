package dev.llamajvm.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Another thread's hand: cancels, interrupts and closes what a worker is using, after a delay,
 * from a small fixed pool of threads (started up front, so the thread count stays the same).
 * Everything is scheduled inside a {@link Window} that the worker closes when its call is over:
 * nothing scheduled in it runs afterwards, so an interrupt meant for one call never hits the next.
 */
final class Saboteur implements AutoCloseable {

    private final ScheduledThreadPoolExecutor executor;

    Saboteur(int threads) {
        AtomicInteger number = new AtomicInteger();
        executor = new ScheduledThreadPoolExecutor(threads, task -> {
            Thread thread = new Thread(task, "soak-saboteur-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.prestartAllCoreThreads();
    }

    /** Opens a window for the calling worker thread. */
    Window window() {
        return new Window(Thread.currentThread());
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** The span of one call that others may disturb. Used by its worker only. */
    final class Window implements AutoCloseable {

        private final Thread worker;
        private final List<ScheduledFuture<?>> scheduled = new ArrayList<>();
        /** Guarded by this: tasks run only while it is open, and closing waits for a running one. */
        private boolean open = true;
        private volatile boolean closedSomething;
        private volatile Throwable closeFailure;

        private Window(Thread worker) {
            this.worker = worker;
        }

        /** Runs {@code cancel} (a session's or chat's cancel()) after {@code micros}. */
        void cancelAfter(Runnable cancel, long micros) {
            schedule(cancel, micros);
        }

        /** Interrupts the worker after {@code micros}. */
        void interruptAfter(long micros) {
            schedule(worker::interrupt, micros);
        }

        /** Closes {@code target} (a session, chat, model, projector) after {@code micros}. */
        void closeAfter(AutoCloseable target, long micros) {
            schedule(() -> {
                closedSomething = true;
                try {
                    target.close();
                } catch (Throwable e) {
                    closeFailure = e;
                }
            }, micros);
        }

        /** Whether something was closed under the worker (its call may then fail). */
        boolean closedSomething() {
            return closedSomething;
        }

        private void schedule(Runnable act, long micros) {
            scheduled.add(executor.schedule(() -> {
                synchronized (this) {
                    if (open) {
                        act.run();
                    }
                }
            }, micros, TimeUnit.MICROSECONDS));
        }

        /**
         * Ends the window: waits for a task in progress, drops the rest, clears an interrupt that
         * arrived after the call it was meant for.
         *
         * @throws AssertionError if a close from the other thread threw: closing must not fail
         */
        @Override
        public void close() {
            synchronized (this) {
                open = false;
            }
            scheduled.forEach(task -> task.cancel(false));
            Thread.interrupted();
            if (closeFailure != null) {
                throw new AssertionError("close() from another thread threw", closeFailure);
            }
        }
    }
}
