package dev.llamajvm.soak;

import dev.llamajvm.ChatOptions;
import dev.llamajvm.ChatSession;
import dev.llamajvm.GenerateOptions;
import dev.llamajvm.LlamaModel;
import dev.llamajvm.Message;
import dev.llamajvm.Reply;
import dev.llamajvm.Session;
import dev.llamajvm.TurnOptions;

import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The work that goes wrong on purpose: calls cancelled or interrupted from another thread after a
 * random delay (mid-prompt or mid-reply, whichever it hits), sessions, chats and models closed under
 * a thread streaming from them, shared models reloaded under everyone. A cancelled call must end
 * {@code CANCELLED} and leave its session usable; a close under a call may make it throw
 * IllegalStateException or a LlamaException (the worker decides what is expected), nothing else.
 */
final class DisruptionOperations {

    private final Fixtures fixtures;

    DisruptionOperations(Fixtures fixtures) {
        this.fixtures = fixtures;
    }

    /** A call cancelled from another thread with cancel(). */
    void cancel(Attempt attempt) {
        disrupt(attempt, "cancel", (window, target, micros) -> window.cancelAfter(target, micros));
    }

    /** A call cancelled by interrupting the worker. */
    void interrupt(Attempt attempt) {
        disrupt(attempt, "interrupt", (window, target, micros) -> window.interruptAfter(micros));
    }

    /** How a disruption is scheduled in a window, given the target's cancel(). */
    private interface Disruption {
        void schedule(Saboteur.Window window, Runnable cancel, long micros);
    }

    /**
     * A long prompt, disrupted either from the start after a random delay (most land in the
     * prompt, evaluated in small batches) or soon after the first piece of a reply that cannot end
     * early (no end-of-generation, no stop string); then a short call on the same session.
     */
    private void disrupt(Attempt attempt, String how, Disruption disruption) {
        RandomOptions random = attempt.random();
        ModelSlot slot = random.pick(fixtures.slots());
        ModelSlot.Lease lease = attempt.lease(slot);
        String prompt = fixtures.longPrompt(slot);
        boolean inReply = random.chance(0.5);
        GenerateOptions options = inReply
                ? GenerateOptions.defaults().maxTokens(48).ignoreEos(true).sampling(random.sampling())
                : random.generate();
        long micros = inReply ? random.random().nextLong(5_000) : random.delayMicros();
        GenerateOptions followUp = GenerateOptions.defaults().maxTokens(4);
        if (random.chance(0.6)) {
            try (Session session = lease.model().newSession(Fixtures.sessionOptions(random.random()))) {
                Reply reply;
                try (Saboteur.Window window = attempt.window()) {
                    Consumer<String> onPiece = schedule(inReply, () -> disruption.schedule(window, session::cancel, micros));
                    reply = session.complete(prompt, options, onPiece);
                }
                landed(attempt, how, "session", reply);
                attempt.requireNotCancelled(session.complete(random.prompt(), followUp));
            }
        } else {
            try (ChatSession chat = lease.model().newChat(ChatOptions.defaults()
                    .session(Fixtures.sessionOptions(random.random())))) {
                Reply reply;
                try (Saboteur.Window window = attempt.window()) {
                    Consumer<String> onPiece = schedule(inReply, () -> disruption.schedule(window, chat::cancel, micros));
                    reply = chat.send(Message.user(prompt), options, onPiece);
                }
                landed(attempt, how, "chat", reply);
                attempt.requireNotCancelled(chat.send("And then?", TurnOptions.defaults().generate(followUp)));
            }
        }
    }

    /** Schedules now, or from the first piece of the reply; returns the piece callback. */
    private static Consumer<String> schedule(boolean onFirstPiece, Runnable scheduling) {
        if (!onFirstPiece) {
            scheduling.run();
            return piece -> { };
        }
        boolean[] scheduled = {false};
        return piece -> {
            if (!scheduled[0]) {
                scheduled[0] = true;
                scheduling.run();
            }
        };
    }

    /** Where the cancel landed: in the prompt, between prompt and reply, in the reply, or after the call ended. */
    private static void landed(Attempt attempt, String how, String target, Reply reply) {
        if (reply.stopReason() != Reply.StopReason.CANCELLED) {
            attempt.outcome(target + ": ended (" + reply.stopReason() + ") before the " + how);
        } else if (reply.generatedTokens() > 0) {
            attempt.outcome(target + ": cancelled mid-reply");
        } else {
            // An aborted prompt evaluation keeps nothing: its reply counts no prompt tokens.
            attempt.outcome(target + (reply.promptTokens() == 0 ? ": cancelled mid-prompt"
                    : ": cancelled after the prompt, before the first token"));
        }
    }

    /** A session or chat closed from another thread while this one streams from it. */
    void closeSessionWhileStreaming(Attempt attempt) {
        RandomOptions random = attempt.random();
        ModelSlot.Lease lease = attempt.lease(random.pick(fixtures.slots()));
        if (random.chance(0.6)) {
            try (Session session = lease.model().newSession(Fixtures.sessionOptions(random.random()))) {
                streamWhileClosing(attempt, session, () -> session.stream(random.prompt(), random.generate()));
            }
        } else {
            try (ChatSession chat = lease.model().newChat(ChatOptions.defaults()
                    .session(Fixtures.sessionOptions(random.random())))) {
                streamWhileClosing(attempt, chat,
                        () -> chat.stream(random.prompt(), TurnOptions.defaults().generate(random.generate())));
            }
        }
    }

    /**
     * A model of its own, loaded for this, closed from another thread while this one streams from
     * it; the model's close closes the session or chat too (left to it on purpose).
     */
    void closeModelWhileStreaming(Attempt attempt) {
        RandomOptions random = attempt.random();
        ModelSlot slot = random.chance(0.7) ? fixtures.stories : fixtures.llama3;
        try (LlamaModel model = LlamaModel.load(slot.path())) {
            if (random.chance(0.6)) {
                Session session = model.newSession(Fixtures.sessionOptions(random.random()));
                streamWhileClosing(attempt, model, () -> session.stream(random.prompt(), random.generate()));
            } else {
                ChatSession chat = model.newChat(ChatOptions.defaults().session(Fixtures.sessionOptions(random.random())));
                streamWhileClosing(attempt, model,
                        () -> chat.stream(random.prompt(), TurnOptions.defaults().generate(random.generate())));
            }
        }
    }

    private static void streamWhileClosing(Attempt attempt, AutoCloseable closed, Supplier<Stream<String>> stream) {
        try (Saboteur.Window window = attempt.window()) {
            window.closeAfter(closed, attempt.random().delayMicros());
            try (Stream<String> pieces = stream.get()) {
                pieces.forEach(piece -> { });
            }
            attempt.outcome(window.closedSomething() ? "stream ended as it was closed" : "stream ended before the close");
        }
    }

    /** A shared model closed and loaded again while the other workers use it. */
    void reload(Attempt attempt) {
        ModelSlot slot = attempt.random().pick(fixtures.slots());
        attempt.outcome(slot.reload() ? "reloaded " + slot.name() : "skipped: " + slot.name() + " was being reloaded");
    }
}
