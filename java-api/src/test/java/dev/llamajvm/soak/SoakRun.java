package dev.llamajvm.soak;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Runs the workers for the soak's duration and measures the process: once after the warm-up (the
 * baseline), then periodically, the last time at the deadline. Each measurement takes the
 * write side of a fair gate the workers hold the read side of per operation, so it sees them all
 * between operations (only the shared models alive), and runs a GC first. Prints each measurement
 * as a table row as it is taken.
 */
final class SoakRun {

    /** No operation takes this long, even on a loaded machine: past it, the soak calls it a hang. */
    static final Duration HANG = Duration.ofMinutes(5);
    private static final int SABOTEUR_THREADS = 2;

    /** An operation did not finish within {@link #HANG}; the message names the threads and their stacks. */
    static final class Hang extends Exception {
        Hang(String message) {
            super(message);
        }
    }

    private final SoakOptions options;
    private final Workload workload;
    private final Tally tally;
    private final PrintStream out;
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock(true);
    /** Set by the last measurement: the workers stop after it, so it still counts their threads. */
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<ProcessSample> samples = new ArrayList<>();
    private long started;

    SoakRun(SoakOptions options, Workload workload, Tally tally, PrintStream out) {
        this.options = options;
        this.workload = workload;
        this.tally = tally;
        this.out = out;
    }

    /** Runs the soak; returns the measurements, baseline first. */
    List<ProcessSample> run() throws InterruptedException, Hang {
        started = System.nanoTime();
        long deadline = started + options.duration().toNanos();
        List<Thread> workers = new ArrayList<>();
        try (Saboteur saboteur = new Saboteur(SABOTEUR_THREADS)) {
            for (int i = 0; i < options.threads(); i++) {
                Thread worker = new Thread(new Worker(workload, options.seed() + i, saboteur, tally, gate.readLock(),
                        stop), "soak-worker-" + i);
                worker.setDaemon(true); // a hung worker must not keep the JVM from reporting and exiting
                workers.add(worker);
                worker.start();
            }
            long next = started + options.warmUp().toNanos();
            out.printf("warming up for %d s%n", options.warmUp().toSeconds());
            while (next < deadline) {
                sleepUntil(next);
                measure(workers, false);
                // Counted from the end of a measurement, which waits for the slowest operation in flight:
                // the workers get their full time between measurements even on a slow machine.
                next = System.nanoTime() + options.sampleEvery().toNanos();
            }
            sleepUntil(deadline);
            measure(workers, true);
            for (Thread worker : workers) {
                worker.join(HANG.toMillis());
                if (worker.isAlive()) {
                    throw new Hang("a worker did not stop within " + HANG.toMinutes() + " minutes of the deadline:\n"
                            + stacks(workers));
                }
            }
        }
        return samples;
    }

    /** Measures with every worker between operations; the {@code last} measurement then stops them. */
    private void measure(List<Thread> workers, boolean last) throws InterruptedException, Hang {
        if (!gate.writeLock().tryLock(HANG.toSeconds(), TimeUnit.SECONDS)) {
            throw new Hang("an operation did not finish within " + HANG.toMinutes() + " minutes:\n" + stacks(workers));
        }
        try {
            System.gc();
            ProcessSample sample = ProcessSample.take(Duration.ofNanos(System.nanoTime() - started), tally.operations());
            if (samples.isEmpty()) {
                out.println(ProcessSample.header());
            }
            samples.add(sample);
            out.println(sample.row(samples.get(0)));
            stop.set(last);
        } finally {
            gate.writeLock().unlock();
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static String stacks(List<Thread> threads) {
        StringBuilder text = new StringBuilder();
        for (Thread thread : threads) {
            text.append("  ").append(thread.getName()).append(" (").append(thread.getState()).append(")\n");
            for (StackTraceElement frame : thread.getStackTrace()) {
                text.append("      at ").append(frame).append('\n');
            }
        }
        return text.toString();
    }
}
