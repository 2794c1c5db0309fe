package dev.llamajvm;

import dev.llamajvm.internal.Generation;
import dev.llamajvm.internal.Pieces;
import dev.llamajvm.internal.chat.ChatCodec;
import dev.llamajvm.internal.chat.ContentStreamer;
import dev.llamajvm.internal.chat.ParsedOutput;
import dev.llamajvm.internal.chat.PreparedTurn;
import dev.llamajvm.internal.chat.ReplyParser;
import dev.llamajvm.internal.engine.Engine;
import dev.llamajvm.internal.engine.NativeModel;
import dev.llamajvm.internal.engine.NativePrompt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A conversation with a chat model. Each turn renders the whole conversation with the model's
 * Jinja chat template through llama.cpp's own chat code (ChatML for models without a template)
 * and evaluates only what the KV cache does not hold yet, so history is not evaluated again.
 * Turns may offer tools ({@link TurnOptions#withTools}) or constrain the reply's shape
 * ({@link TurnOptions#withFormat}); replies are parsed in the model's format into content and
 * {@link Reply#toolCalls()}.
 *
 * <p>Messages may carry images (and audio) when the chat has a {@link Projector}
 * ({@link ChatOptions#projector}); an image stays in the KV cache for later turns, which do not
 * encode it again.
 *
 * <p>Owns its session; one thread at a time, like {@link Session}; {@link #cancel()} from any thread.
 * A send or stream from inside a callback of this chat's own turn ({@code onPiece}) throws
 * {@link IllegalStateException}: the turn in progress would lose its place in the history.
 */
public final class ChatSession implements AutoCloseable {

    private final Session session;
    private final NativeModel nativeModel;
    private final ChatTemplate template;
    private final ChatOptions options;
    private final List<Message> messages = new ArrayList<>();
    /**
     * The streamed turn still waiting for its reply, or null: its message is the last of the
     * history (every new turn first takes it back). A stream's close drops only its own.
     */
    private Object unansweredStream;
    private Reply lastReply;
    private final int bos;

    ChatSession(Session session, NativeModel nativeModel, ChatTemplate template, ChatOptions options) {
        this.session = session;
        this.nativeModel = nativeModel;
        this.template = template;
        this.options = options;
        this.bos = nativeModel.info().specialTokens().bos();
        if (options.systemPrompt() != null) {
            messages.add(Message.system(options.systemPrompt()));
        }
    }

    /** The conversation so far, oldest first. */
    public List<Message> history() {
        return session.locked(() -> List.copyOf(messages));
    }

    /** Sends a user message and returns the assistant's reply, which joins the history. */
    public Reply send(String userText) {
        return send(Message.user(userText), defaultTurn(), piece -> { });
    }

    /** Sends a user message, handing the reply's content to {@code onPiece} as it is generated. */
    public Reply send(String userText, Consumer<String> onPiece) {
        return send(Message.user(userText), defaultTurn(), onPiece);
    }

    /** Sends a user message answered under {@code turn} (tools, format, generation options). */
    public Reply send(String userText, TurnOptions turn) {
        return send(Message.user(userText), turn, piece -> { });
    }

    /** Sends any message (one with images, a tool result) with the chat's default options. */
    public Reply send(Message message) {
        return send(message, defaultTurn(), piece -> { });
    }

    /** Sends any message (a user message, a tool result) answered under {@code turn}. */
    public Reply send(Message message, TurnOptions turn) {
        return send(message, turn, piece -> { });
    }

    /** Sends a message with the given generation options, streaming the reply's content to {@code onPiece}. */
    public Reply send(Message message, GenerateOptions generate, Consumer<String> onPiece) {
        return send(message, TurnOptions.defaults().generate(generate), onPiece);
    }

    /**
     * Sends a message and hands the reply's content to {@code onPiece} as it comes (tool calls are
     * not streamed: they arrive complete in {@link Reply#toolCalls()}). On failure (including
     * {@code onPiece} throwing) the message is taken back out of the history.
     */
    public Reply send(Message message, TurnOptions turn, Consumer<String> onPiece) {
        return session.call(() -> {
            session.startCall();
            dropUnansweredStream();
            messages.add(message);
            try {
                Prepared prepared = prepare(turn);
                ContentStreamer streamer = prepared.streamer();
                Reply raw = session.run(begin(prepared), piece -> {
                    String content = streamer.accept(piece);
                    if (!content.isEmpty()) {
                        onPiece.accept(content);
                    }
                });
                ParsedOutput parsed = streamer.finish(turn.strictToolCalls());
                String rest = streamer.remainder(parsed);
                if (!rest.isEmpty()) {
                    onPiece.accept(rest);
                }
                return answered(raw, parsed);
            } catch (RuntimeException | Error e) {
                messages.remove(messages.size() - 1);
                throw e;
            }
        });
    }

    /** Streams the reply to a user message with the chat's default options. */
    public Stream<String> stream(String userText) {
        return stream(Message.user(userText), defaultTurn());
    }

    /** Streams the reply to any message (one with images, say) with the chat's default options. */
    public Stream<String> stream(Message message) {
        return stream(message, defaultTurn());
    }

    /** Streams the reply to a user message answered under {@code turn}. */
    public Stream<String> stream(String userText, TurnOptions turn) {
        return stream(Message.user(userText), turn);
    }

    /**
     * Streams the content of the reply to a message; read it to the end (the reply then joins the
     * history; {@link #lastReply()} has its tool calls) or close it (the message is taken back).
     */
    public Stream<String> stream(Message message, TurnOptions turn) {
        return session.call(() -> {
            session.startCall();
            dropUnansweredStream();
            messages.add(message);
            Object thisStream = new Object();
            unansweredStream = thisStream;
            try {
                Prepared prepared = prepare(turn);
                ContentStreamer streamer = prepared.streamer();
                String[] rest = {""};
                Stream<String> rawStream = session.stream(begin(prepared), reply -> {
                    ParsedOutput parsed = streamer.finish(turn.strictToolCalls());
                    rest[0] = streamer.remainder(parsed);
                    unansweredStream = null;
                    answered(reply, parsed);
                });
                Iterator<String> raw = rawStream.iterator();
                return Pieces.stream(() -> {
                            while (raw.hasNext()) {
                                String piece = streamer.accept(raw.next());
                                if (!piece.isEmpty()) {
                                    return piece;
                                }
                            }
                            String tail = rest[0]; // content the final parse found beyond what was handed on
                            rest[0] = "";
                            return tail.isEmpty() ? null : tail;
                        })
                        .onClose(rawStream::close)
                        .onClose(() -> session.lockedIfOpen(() -> {
                            if (unansweredStream == thisStream) { // not a newer stream's message
                                dropUnansweredStream();
                            }
                            return null;
                        }));
            } catch (RuntimeException | Error e) {
                dropUnansweredStream();
                throw e;
            }
        });
    }

    /** The last complete reply of this chat (a streamed one too), or null before the first. */
    public Reply lastReply() {
        return session.locked(() -> lastReply);
    }

    private TurnOptions defaultTurn() {
        return TurnOptions.defaults().generate(options.generate());
    }

    /** Records a finished reply in the history and returns it with its parsed parts. */
    private Reply answered(Reply raw, ParsedOutput parsed) {
        Reply reply = raw.parsed(parsed.content(), parsed.toolCalls(), parsed.reasoning(), parsed.note());
        messages.add(Message.assistant(parsed.content(), parsed.toolCalls()));
        lastReply = reply;
        return reply;
    }

    /**
     * A turn ready to generate: rendered, tokenized (by the projector when the conversation has
     * media, which {@code media} then holds; null otherwise), its options completed.
     */
    private record Prepared(PreparedTurn turn, int[] tokens, NativePrompt media, GenerateOptions generate,
                            ContentStreamer streamer) {
    }

    /**
     * Evaluates the turn's prompt. The projector is held open only while the prompt is evaluated,
     * not while the reply is generated: closing it from a callback or another thread then neither
     * deadlocks nor waits for a long reply.
     */
    private Generation begin(Prepared prepared) {
        if (prepared.media() == null) {
            return session.begin(prepared.tokens(), null, prepared.generate(), prepared.turn().rules());
        }
        try (NativePrompt media = prepared.media()) {
            return options.projector().use(() ->
                    session.begin(prepared.tokens(), media, prepared.generate(), prepared.turn().rules()));
        }
    }

    /** Renders the conversation for a turn; invalid formats fail here, before anything is generated. */
    private Prepared prepare(TurnOptions turn) {
        GenerateOptions generate = turn.generate();
        String schema = null;
        if (turn.format() instanceof Format.JsonSchema json) {
            schema = json.schema();
            ChatCodec.checkSchema(schema, Engine.get()::jsonSchemaToGrammar);
        } else if (turn.format() instanceof Format.Grammar grammar) {
            requireNoGrammar(generate, "Format.grammar");
            generate = generate.sampling(generate.sampling().grammar(grammar.gbnf()));
        }
        boolean withMedia = ChatMedia.any(messages);
        if (withMedia && options.projector() == null) {
            throw new InvalidMediaException("this chat has no projector to read images or audio: load the model's"
                    + " mmproj file with LlamaModel.loadProjector and open the chat with ChatOptions.projector");
        }
        List<Message> rendered = withMedia ? ChatMedia.withMarkers(messages, options.projector().marker()) : messages;
        PreparedTurn prepared = template.prepare(rendered, turn, schema);
        if (prepared.rules().grammar() != null) {
            requireNoGrammar(generate, turn.tools().isEmpty() ? "Format.jsonSchema" : "tools");
        }
        if (!prepared.additionalStops().isEmpty()) {
            List<String> stops = new ArrayList<>(generate.stopStrings());
            stops.addAll(prepared.additionalStops());
            generate = generate.stopStrings(stops.toArray(String[]::new));
        }
        ContentStreamer streamer = new ContentStreamer(prepared, new ReplyParser(prepared, Engine.get()::parseChat));
        if (withMedia) {
            NativePrompt media = options.projector().use(() -> ChatMedia.tokenize(options.projector(), prepared.prompt(), messages));
            return new Prepared(prepared, media.tokens(), media, generate, streamer);
        }
        int[] tokens = withoutDoubleStart(nativeModel.tokenize(prepared.prompt().getBytes(StandardCharsets.UTF_8), true, true));
        return new Prepared(prepared, tokens, null, generate, streamer);
    }

    private static void requireNoGrammar(GenerateOptions generate, String what) {
        if (generate.sampling().stages().stream().anyMatch(s -> s instanceof Sampling.Grammar)) {
            throw new IllegalArgumentException(what + " constrains the reply with a grammar of its own;"
                    + " the sampling chain must not have one too");
        }
    }

    /**
     * Takes back the message of a stream that was closed or abandoned before its reply was
     * complete, so the history never holds a question without its answer.
     */
    private void dropUnansweredStream() {
        if (unansweredStream != null) {
            messages.remove(messages.size() - 1);
            unansweredStream = null;
        }
    }

    /** Stops the reply in progress; any thread may call it. */
    public void cancel() {
        session.cancel();
    }

    /** The underlying session (for its context size, cache and state). */
    public Session session() {
        return session;
    }

    /** Templates that write the BOS text themselves would get a second BOS from the tokenizer. */
    private int[] withoutDoubleStart(int[] tokens) {
        if (tokens.length >= 2 && tokens[0] == bos && tokens[1] == bos) {
            return Arrays.copyOfRange(tokens, 1, tokens.length);
        }
        return tokens;
    }

    /** Closes the session. Idempotent. */
    @Override
    public void close() {
        session.close();
        session.model().forget(this);
    }
}
