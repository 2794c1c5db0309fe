package dev.llamajvm;

import dev.llamajvm.internal.engine.NativeModel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A conversation with a chat model. Each turn formats the whole conversation with the model's
 * built-in chat template (llama.cpp's {@code llama_chat_apply_template}; ChatML for models without
 * one) and evaluates only what the KV cache does not hold yet, so history is not evaluated again.
 *
 * <p>Owns its session; one thread at a time, like {@link Session}; {@link #cancel()} from any thread.
 */
public final class ChatSession implements AutoCloseable {

    private final Session session;
    private final NativeModel nativeModel;
    private final ChatOptions options;
    private final List<Message> messages = new ArrayList<>();
    /** Index of a streamed user message still waiting for its reply, or -1. */
    private int unanswered = -1;
    /** Read once: asking the model while holding the session's lock could deadlock with model.close(). */
    private final String template;
    private final int bos;

    ChatSession(Session session, NativeModel nativeModel, ChatOptions options) {
        this.session = session;
        this.nativeModel = nativeModel;
        this.options = options;
        ModelInfo info = nativeModel.info();
        this.template = info.chatTemplate().orElse(null);
        this.bos = info.specialTokens().bos();
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
        return send(Message.user(userText), options.generate(), piece -> { });
    }

    /** Sends a user message, handing the reply's pieces to {@code onPiece} as they are generated. */
    public Reply send(String userText, Consumer<String> onPiece) {
        return send(Message.user(userText), options.generate(), onPiece);
    }

    /**
     * Sends a message, handing the reply's pieces to {@code onPiece} as they come. On failure
     * (including {@code onPiece} throwing) the message is taken back out of the history.
     */
    public Reply send(Message message, GenerateOptions generate, Consumer<String> onPiece) {
        return session.locked(() -> {
            session.startCall();
            dropUnansweredStream();
            messages.add(message);
            try {
                Reply reply = session.run(prompt(), generate, onPiece);
                messages.add(Message.assistant(reply.text()));
                return reply;
            } catch (RuntimeException | Error e) {
                messages.remove(messages.size() - 1);
                throw e;
            }
        });
    }

    /**
     * Streams the reply to a user message; read it to the end (the reply then joins the history)
     * or close it (the message is taken back).
     */
    public Stream<String> stream(String userText) {
        return session.locked(() -> {
            session.startCall();
            dropUnansweredStream();
            messages.add(Message.user(userText));
            unanswered = messages.size() - 1;
            try {
                return session.stream(prompt(), options.generate(), reply -> {
                            messages.add(Message.assistant(reply.text()));
                            unanswered = -1;
                        })
                        .onClose(() -> session.lockedIfOpen(() -> {
                            dropUnansweredStream();
                            return null;
                        }));
            } catch (RuntimeException | Error e) {
                dropUnansweredStream();
                throw e;
            }
        });
    }

    /**
     * Takes back the message of a stream that was closed or abandoned before its reply was
     * complete, so the history never holds a question without its answer.
     */
    private void dropUnansweredStream() {
        if (unanswered >= 0) {
            messages.remove(unanswered);
            unanswered = -1;
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

    /** Formats the conversation plus the assistant's turn header and tokenizes it. */
    private int[] prompt() {
        int n = messages.size();
        String[] roles = new String[n];
        String[] contents = new String[n];
        for (int i = 0; i < n; i++) {
            roles[i] = messages.get(i).role();
            contents[i] = messages.get(i).content();
        }
        byte[] formatted = nativeModel.applyChatTemplate(template, roles, contents, true);
        return withoutDoubleStart(nativeModel.tokenize(formatted, true, true));
    }

    /** Templates that write the BOS text themselves would get a second BOS from the tokenizer. */
    private int[] withoutDoubleStart(int[] tokens) {
        if (tokens.length >= 2 && tokens[0] == bos && tokens[1] == bos) {
            return java.util.Arrays.copyOfRange(tokens, 1, tokens.length);
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
