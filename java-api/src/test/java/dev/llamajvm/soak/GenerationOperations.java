package dev.llamajvm.soak;

import dev.llamajvm.ChatOptions;
import dev.llamajvm.ChatSession;
import dev.llamajvm.Embedder;
import dev.llamajvm.EmbeddingOptions;
import dev.llamajvm.GenerateOptions;
import dev.llamajvm.Message;
import dev.llamajvm.Reply;
import dev.llamajvm.Session;
import dev.llamajvm.TurnOptions;
import dev.llamajvm.soak.RandomOptions.Constraint;
import dev.llamajvm.soak.RandomOptions.TurnShape;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The ordinary work: completions, streams, chat turns of every shape, embeddings and image turns,
 * each in a session, chat or embedder opened for it and closed after, with random options, and
 * each result checked ({@link Checks}).
 */
final class GenerationOperations {

    private static final List<TurnShape> CHATML_SHAPES = List.of(TurnShape.TEXT, TurnShape.GRAMMAR, TurnShape.JSON);

    private final Fixtures fixtures;

    GenerationOperations(Fixtures fixtures) {
        this.fixtures = fixtures;
    }

    /** One to three completions in one session, each continuing the last (cache reuse) or starting afresh. */
    void complete(Attempt attempt) {
        RandomOptions random = attempt.random();
        ModelSlot.Lease lease = attempt.lease(random.pick(fixtures.slots()));
        try (Session session = lease.model().newSession(Fixtures.sessionOptions(random.random()))) {
            String prompt = random.prompt();
            int calls = 1 + random.random().nextInt(3);
            for (int call = 0; call < calls; call++) {
                Constraint grammar = random.chance(0.3) ? random.pick(RandomOptions.GRAMMARS) : null;
                GenerateOptions options = grammar == null ? random.generate() : random.generate(grammar);
                StringBuilder streamed = new StringBuilder();
                Reply reply = session.complete(prompt, options, streamed::append);
                Checks.reply(reply, options, streamed.toString());
                attempt.requireNotCancelled(reply);
                if (grammar != null) {
                    Checks.grammar(reply, grammar);
                }
                attempt.outcome(reply.stopReason() + (grammar == null ? "" : " under a grammar")
                        + (reply.cachedPromptTokens() > 0 ? ", prompt prefix from the cache" : ""));
                prompt = random.chance(0.7) ? prompt + reply.text() + " " + random.prompt() : random.prompt();
            }
        }
    }

    /** A stream read to the end, closed early, or abandoned by a newer call (whose reads must then fail). */
    void stream(Attempt attempt) {
        RandomOptions random = attempt.random();
        ModelSlot.Lease lease = attempt.lease(random.pick(fixtures.slots()));
        GenerateOptions options = random.generate();
        try (Session session = lease.model().newSession(Fixtures.sessionOptions(random.random()));
             Stream<String> pieces = session.stream(random.prompt(), options)) {
            switch (random.random().nextInt(3)) {
                case 0 -> {
                    String text = pieces.collect(Collectors.joining());
                    options.stopStrings().forEach(stop ->
                            Checks.require(!text.contains(stop), "streamed text holds the stop string %s", stop));
                    attempt.outcome("read to the end");
                }
                case 1 -> {
                    pieces.limit(1 + random.random().nextInt(4)).forEach(piece -> { });
                    attempt.outcome("closed early");
                }
                default -> abandon(attempt, session, pieces.iterator());
            }
        }
    }

    private static void abandon(Attempt attempt, Session session, Iterator<String> pieces) {
        if (!pieces.hasNext()) {
            attempt.outcome("nothing to abandon (empty reply)");
            return;
        }
        pieces.next();
        session.complete(attempt.random().prompt(), GenerateOptions.defaults().maxTokens(4));
        try {
            pieces.hasNext();
            throw new AssertionError("wrong result: a stream abandoned by a newer call went on");
        } catch (IllegalStateException expected) {
            Checks.require(expected.getMessage().contains("abandoned"), "unexpected message: %s", expected.getMessage());
            attempt.outcome("abandoned stream refused");
        }
    }

    /**
     * One to three chat turns, sent or streamed: plain, JSON, JSON schema, GBNF or with tools on the
     * tiny Llama 3 (Llama 3.2 template); plain, GBNF or JSON on stories260K (ChatML).
     */
    void chat(Attempt attempt) {
        RandomOptions random = attempt.random();
        boolean llama3 = random.chance(0.75);
        ModelSlot.Lease lease = attempt.lease(llama3 ? fixtures.llama3 : fixtures.stories);
        ChatOptions options = ChatOptions.defaults().session(Fixtures.sessionOptions(random.random()));
        if (random.chance(0.3)) {
            options = options.system("Be brief.");
        }
        try (ChatSession chat = lease.model().newChat(options)) {
            int turns = 1 + random.random().nextInt(3);
            for (int t = 0; t < turns; t++) {
                TurnShape shape = llama3 ? random.turnShape() : random.pick(CHATML_SHAPES);
                Constraint grammar = random.pick(RandomOptions.GRAMMARS);
                TurnOptions turn = random.turn(shape, grammar);
                boolean streaming = random.chance(0.4);
                String streamed;
                Reply reply;
                if (streaming) {
                    try (Stream<String> pieces = chat.stream(random.prompt(), turn)) {
                        streamed = pieces.collect(Collectors.joining());
                    }
                    reply = chat.lastReply();
                } else {
                    StringBuilder pieces = new StringBuilder();
                    reply = chat.send(Message.user(random.prompt()), turn, pieces::append);
                    streamed = pieces.toString();
                }
                boolean tools = shape == TurnShape.TOOLS_AUTO || shape == TurnShape.TOOLS_REQUIRED;
                // With tools, pieces are the content only: a tool call is in the reply, not in the stream.
                Checks.reply(reply, turn.generate(), tools ? null : streamed);
                attempt.requireNotCancelled(reply);
                switch (shape) {
                    case JSON, JSON_SCHEMA -> Checks.jsonObject(reply);
                    case GRAMMAR -> Checks.grammar(reply, grammar);
                    case TOOLS_AUTO, TOOLS_REQUIRED -> Checks.toolCalls(reply);
                    case TEXT -> { }
                }
                attempt.outcome(shape + (streaming ? " streamed, " : " sent, ") + reply.stopReason()
                        + (reply.toolCalls().isEmpty() ? "" : ", tool call"));
            }
        }
    }

    /** One to four texts embedded with random pooling, normalised or not. */
    void embed(Attempt attempt) {
        RandomOptions random = attempt.random();
        ModelSlot.Lease lease = attempt.lease(random.pick(fixtures.slots()));
        EmbeddingOptions.Pooling pooling = random.pick(List.of(EmbeddingOptions.Pooling.MEAN,
                EmbeddingOptions.Pooling.CLS, EmbeddingOptions.Pooling.LAST));
        boolean normalized = random.chance(0.7);
        try (Embedder embedder = lease.model().newEmbedder(EmbeddingOptions.defaults().contextSize(Fixtures.CONTEXT)
                .threads(1 + random.random().nextInt(2)).pooling(pooling).normalize(normalized))) {
            List<String> texts = new ArrayList<>();
            for (int i = random.random().nextInt(4); i >= 0; i--) {
                texts.add(random.prompt());
            }
            float[][] vectors = embedder.embed(texts);
            Checks.require(vectors.length == texts.size(), "%d vectors for %d texts", vectors.length, texts.size());
            for (float[] vector : vectors) {
                Checks.embedding(vector, lease.model().info().embeddingSize(), normalized);
            }
            attempt.outcome(pooling + (normalized ? ", normalised" : ""));
        }
    }

    /** An image turn on the tiny Llama 3 with its projector, then maybe a text turn that reuses the cached image. */
    void vision(Attempt attempt) {
        RandomOptions random = attempt.random();
        ModelSlot.Lease lease = attempt.lease(fixtures.llama3);
        try (ChatSession chat = lease.model().newChat(ChatOptions.defaults()
                .session(Fixtures.sessionOptions(random.random())).projector(lease.projector()))) {
            GenerateOptions options = random.generate();
            Message message = Message.user("What is in the picture?", random.pick(fixtures.pictures));
            StringBuilder streamed = new StringBuilder();
            Reply reply = chat.send(message, options, streamed::append);
            Checks.reply(reply, options, streamed.toString());
            attempt.requireNotCancelled(reply);
            attempt.outcome("image turn, " + reply.stopReason());
            if (random.chance(0.5)) {
                Reply next = chat.send("And the colours?", TurnOptions.defaults().generate(random.generate()));
                Checks.require(next.cachedPromptTokens() > 0, "a text turn after an image turn took nothing from the cache");
                attempt.outcome("text turn after the image, " + next.stopReason());
            }
        }
    }
}
