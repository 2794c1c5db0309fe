package dev.llamajvm.internal.chat;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Parses replies to one prepared turn with llama.cpp's chat parser, where deep nesting cannot
 * crash the JVM. The parser reads JSON recursively, about 2 KB of native stack per level: a reply
 * of a few hundred nested brackets (a runaway tool call) overflows an ordinary thread's stack, and
 * a native stack overflow kills the process (measured: 530 levels on a 1 MB stack). So the parser
 * runs on threads of its own with a {@value #STACK_MB} MB stack (over 20,000 levels measured), and
 * a reply with more than {@value #MAX_OPENING_BRACKETS} opening brackets, which bound its nesting
 * wherever its strings are, is not handed to it: it does not parse, like a malformed reply.
 * Thread-safe.
 */
public final class ReplyParser {

    /** Most '[' and '{' a reply may hold to be parsed: 16 MB of the parser's stack at most. */
    static final int MAX_OPENING_BRACKETS = 8192;
    private static final int STACK_MB = 64;

    /** Parser threads, made as needed and kept a minute; daemons, so they never hold the JVM up. */
    private static final ExecutorService THREADS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), new ParserThreads());

    private final PreparedTurn turn;
    private final UnaryOperator<String> nativeParser;

    /** {@code nativeParser} is the chat shim's parse call (request JSON to result JSON). */
    public ReplyParser(PreparedTurn turn, UnaryOperator<String> nativeParser) {
        this.turn = turn;
        this.nativeParser = nativeParser;
    }

    /**
     * Parses {@code text}, the raw reply (or its start, if {@code partial}). A reply that does not
     * parse is kept whole as content with a note, unless {@code strict}: then it is a ChatFormatException.
     */
    public ParsedOutput parse(String text, boolean partial, boolean strict) {
        long opening = text.chars().filter(c -> c == '[' || c == '{').count();
        if (opening > MAX_OPENING_BRACKETS) {
            return ChatCodec.unparsed("the reply has " + opening + " opening brackets, more than the "
                    + MAX_OPENING_BRACKETS + " llama.cpp's chat parser is given", text, strict);
        }
        String request = ChatCodec.parseRequest(turn, text, partial);
        return ChatCodec.readParsed(onParserThread(() -> nativeParser.apply(request)), text, strict);
    }

    /** Runs {@code call} on a parser thread and waits for it, interrupt or not: native code cannot be stopped. */
    private static String onParserThread(java.util.concurrent.Callable<String> call) {
        Future<String> result = THREADS.submit(call);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return result.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt(); // kept for the caller's cancellation check
            }
        }
    }

    private static final class ParserThreads implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable work) {
            Thread thread = new Thread(null, work, "llama-jvm-chat-parser-" + count.incrementAndGet(),
                    (long) STACK_MB << 20);
            thread.setDaemon(true);
            return thread;
        }
    }
}
