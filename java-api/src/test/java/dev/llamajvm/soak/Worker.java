package dev.llamajvm.soak;

import dev.llamajvm.LlamaException;
import dev.llamajvm.PromptTooLongException;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;

/**
 * One soak thread: random operations back to back until told to stop, each under the read side of
 * the measurement gate (so a measurement sees no operation half done). Judges how each ended:
 * <ul>
 *   <li>normally: counted;</li>
 *   <li>{@link PromptTooLongException}: the documented answer to a conversation that outgrew its
 *       context, counted as expected;</li>
 *   <li>IllegalStateException or any LlamaException: expected only if something the operation used
 *       was closed under it (by the saboteur or a reload), a failure otherwise;</li>
 *   <li>anything else (another exception type, a wrong result): a failure.</li>
 * </ul>
 */
final class Worker implements Runnable {

    private final Workload workload;
    private final RandomOptions random;
    private final Saboteur saboteur;
    private final Tally tally;
    private final Lock gate;
    private final AtomicBoolean stop;

    Worker(Workload workload, long seed, Saboteur saboteur, Tally tally, Lock gate, AtomicBoolean stop) {
        this.workload = workload;
        this.random = new RandomOptions(new SplittableRandom(seed));
        this.saboteur = saboteur;
        this.tally = tally;
        this.gate = gate;
        this.stop = stop;
    }

    @Override
    public void run() {
        while (!stop.get()) {
            gate.lock();
            try {
                if (stop.get()) {
                    return; // set by the last measurement while this thread waited at the gate
                }
                runOne(workload.pick(random.random()));
            } finally {
                gate.unlock();
            }
        }
    }

    private void runOne(Workload.Entry entry) {
        Attempt attempt = new Attempt(entry.kind(), random, saboteur, tally);
        long start = System.nanoTime();
        try {
            entry.operation().accept(attempt);
        } catch (PromptTooLongException e) {
            tally.expected(entry.kind(), e);
        } catch (IllegalStateException | LlamaException e) {
            if (attempt.disturbed()) {
                tally.expected(entry.kind(), e);
            } else {
                tally.failure(entry.kind(), "nothing was closed under this operation, yet it threw", e);
            }
        } catch (Throwable e) {
            tally.failure(entry.kind(), e instanceof AssertionError ? "a check failed" : "an exception the API must not throw", e);
        } finally {
            Thread.interrupted(); // an interrupt is always consumed inside its window; never carry one over
            tally.operation(entry.kind(), System.nanoTime() - start);
        }
    }
}
