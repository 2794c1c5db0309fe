package dev.llamajvm.soak;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Counts llama.cpp's warnings and errors (its log reaches {@code System.Logger} "dev.llamajvm.llama",
 * which is java.util.logging here) instead of printing thousands of them; the summary lists each
 * distinct message with its count.
 */
final class NativeLogCounter extends Handler {

    /** Held strongly: java.util.logging keeps only weak references to loggers. */
    private static final Logger LLAMA = Logger.getLogger("dev.llamajvm.llama");

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    static NativeLogCounter install() {
        NativeLogCounter counter = new NativeLogCounter();
        LLAMA.setLevel(Level.WARNING);
        LLAMA.setUseParentHandlers(false);
        LLAMA.addHandler(counter);
        return counter;
    }

    @Override
    public void publish(LogRecord record) {
        String message = record.getMessage() == null ? "" : record.getMessage().replaceAll("\\d+", "#");
        counts.computeIfAbsent(record.getLevel() + ": " + message, k -> new LongAdder()).increment();
    }

    void print(PrintStream out) {
        out.println("llama.cpp log, warnings and errors:");
        if (counts.isEmpty()) {
            out.println("  none");
        }
        new TreeMap<>(counts).forEach((message, n) -> out.printf("  %8d  %s%n", n.sum(), message));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
