package dev.llamajvm.internal.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * llama.cpp's and ggml's log as both engines receive it (fragments with ggml's levels, from any
 * thread), routed to {@link System.Logger} "dev.llamajvm.llama" (INFO chatter at DEBUG, warnings
 * at WARNING, errors at ERROR), never to stderr; and captured around calls that may fail, so
 * errors can carry llama.cpp's own reason. Thread-safe.
 */
public final class NativeLog {

    private static final System.Logger LOGGER = System.getLogger("dev.llamajvm.llama");
    private static final int LEVEL_WARN = 3, LEVEL_ERROR = 4, LEVEL_CONT = 5;
    private static final ThreadLocal<Line> LINE = ThreadLocal.withInitial(Line::new);
    private static final ThreadLocal<List<String>> CAPTURE = new ThreadLocal<>();

    /** A line being assembled from fragments (llama.cpp logs pieces, CONT continues one). */
    private static final class Line {
        final StringBuilder text = new StringBuilder();
        int level;
    }

    private NativeLog() {}

    /**
     * One fragment of native log text at ggml's {@code level}; called by the engines' log callbacks.
     * Never throws: it runs inside a callback from C, where an exception must not go.
     */
    public static void onLog(int level, String text) {
        try {
            Line line = LINE.get();
            if (level != LEVEL_CONT) {
                line.level = level;
            }
            line.text.append(text);
            int newline;
            while ((newline = line.text.indexOf("\n")) >= 0) {
                publish(line.level, line.text.substring(0, newline));
                line.text.delete(0, newline + 1);
            }
        } catch (Throwable ignored) {
            // A lost log line is the lesser harm.
        }
    }

    private static void publish(int level, String message) {
        if (message.isBlank()) {
            return;
        }
        System.Logger.Level javaLevel = level == LEVEL_ERROR ? System.Logger.Level.ERROR
                : level == LEVEL_WARN ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG;
        List<String> capture = CAPTURE.get();
        boolean serious = level == LEVEL_ERROR || level == LEVEL_WARN;
        // Bounded: a chatty failure must not grow the capture without end; errors get more room.
        if (capture != null && (capture.size() < 200 || (serious && capture.size() < 400))) {
            capture.add((level == LEVEL_ERROR ? "error: " : level == LEVEL_WARN ? "warning: " : "") + message.strip());
        }
        LOGGER.log(javaLevel, message);
    }

    /** Runs {@code call}, keeping what this thread logs meanwhile for {@link Captured#reason()}. */
    public static <T> Captured<T> capture(Supplier<T> call) {
        List<String> previous = CAPTURE.get();
        List<String> lines = new ArrayList<>();
        CAPTURE.set(lines);
        try {
            return new Captured<>(call.get(), lines);
        } finally {
            CAPTURE.set(previous);
        }
    }

    /** A call's result and the log lines it produced. */
    public record Captured<T>(T value, List<String> lines) {
        /** The warnings and errors, or the last lines when there were none. */
        public List<String> reason() {
            List<String> serious = lines.stream().filter(l -> l.startsWith("error: ") || l.startsWith("warning: ")).toList();
            return serious.isEmpty() ? lines.subList(Math.max(0, lines.size() - 5), lines.size()) : serious;
        }
    }
}
