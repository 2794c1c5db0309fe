package dev.llamajvm.soak;

import dev.llamajvm.Reply;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One operation as a worker runs it: its random choices, what it leased, and whether anything was
 * closed under it (by another thread's hand or a reload), which is what makes an exception from
 * it expected. Used by its worker thread only.
 */
final class Attempt {

    private final String kind;
    private final RandomOptions random;
    private final Saboteur saboteur;
    private final Tally tally;
    private final List<Saboteur.Window> windows = new ArrayList<>();
    private final List<BooleanSupplier> changes = new ArrayList<>();

    Attempt(String kind, RandomOptions random, Saboteur saboteur, Tally tally) {
        this.kind = kind;
        this.random = random;
        this.saboteur = saboteur;
        this.tally = tally;
    }

    String kind() {
        return kind;
    }

    RandomOptions random() {
        return random;
    }

    /** Takes the slot's current model, remembering it so that a reload meanwhile counts as a disturbance. */
    ModelSlot.Lease lease(ModelSlot slot) {
        ModelSlot.Lease lease = slot.lease();
        changes.add(() -> slot.changedSince(lease));
        return lease;
    }

    /** A window in which another thread may cancel, interrupt or close what this operation uses. */
    Saboteur.Window window() {
        Saboteur.Window window = saboteur.window();
        windows.add(window);
        return window;
    }

    /** Whether something this operation used was closed while it ran. */
    boolean disturbed() {
        return windows.stream().anyMatch(Saboteur.Window::closedSomething)
                || changes.stream().anyMatch(BooleanSupplier::getAsBoolean);
    }

    /**
     * A reply outside a cancel's window ends CANCELLED only if something was closed under it (a
     * closing session stops its generation): a cancel never outlives its call.
     */
    void requireNotCancelled(Reply reply) {
        Checks.require(reply.stopReason() != Reply.StopReason.CANCELLED || disturbed(),
                "a reply was cancelled, yet nothing cancelled it or closed anything under it");
    }

    void outcome(String what) {
        tally.outcome(kind, what);
    }
}
