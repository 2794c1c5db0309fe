package dev.llamajvm.soak;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what the workers did: operations per kind, how they ended (stop reasons, where a cancel
 * landed), the exceptions the soak expects (by type and message) and, in full, the failures it
 * does not. Thread-safe.
 */
final class Tally {

    /** Failures printed with their stack traces; the rest are counted. */
    private static final int FAILURES_SHOWN = 10;

    private final Map<String, LongAdder> operations = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> expectedExceptions = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();
    private final LongAdder failureCount = new LongAdder();
    private final List<String> failures = new ArrayList<>();

    /** An operation of {@code kind} ended after {@code took} nanoseconds (normally or with an exception counted separately). */
    void operation(String kind, long took) {
        count(operations, kind);
        nanos.computeIfAbsent(kind, k -> new LongAdder()).add(took);
        total.increment();
    }

    /** How an operation of {@code kind} ended, e.g. its stop reason. */
    void outcome(String kind, String what) {
        count(outcomes, kind + ": " + what);
    }

    /** An exception the soak provoked on purpose (a close under a running call). */
    void expected(String kind, Throwable e) {
        count(expectedExceptions, kind + ": " + e.getClass().getSimpleName() + ": " + shape(e.getMessage()));
    }

    /** Anything else: a wrong result, an exception nothing provoked, an exception of a type the API must not throw. */
    void failure(String kind, String why, Throwable e) {
        failureCount.increment();
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        synchronized (failures) {
            if (failures.size() < FAILURES_SHOWN) {
                failures.add(kind + " (" + Thread.currentThread().getName() + "): " + why + "\n" + trace);
            }
        }
    }

    long operations() {
        return total.sum();
    }

    long failures() {
        return failureCount.sum();
    }

    void print(PrintStream out) {
        out.println("Operations by kind (count, mean time):");
        new TreeMap<>(operations).forEach((kind, n) -> out.printf("  %8d  %-32s %8.0f ms%n", n.sum(), kind,
                nanos.get(kind).sum() / 1e6 / n.sum()));
        out.println("Outcomes:");
        printCounts(out, outcomes);
        out.println("Exceptions provoked on purpose (expected) by kind:");
        if (expectedExceptions.isEmpty()) {
            out.println("  none");
        }
        printCounts(out, expectedExceptions);
        out.println("Unexpected failures: " + failureCount.sum());
        synchronized (failures) {
            for (String failure : failures) {
                out.println("  " + failure.replace("\n", "\n    "));
            }
        }
    }

    private static void printCounts(PrintStream out, Map<String, LongAdder> counts) {
        new TreeMap<>(counts).forEach((key, n) -> out.printf("  %8d  %s%n", n.sum(), key));
    }

    private static void count(Map<String, LongAdder> counts, String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** A message's first line with numbers blanked, so messages that differ only in numbers count together. */
    private static String shape(String message) {
        if (message == null) {
            return "(no message)";
        }
        String first = message.lines().findFirst().orElse("").replaceAll("\\d+", "#");
        return first.length() > 140 ? first.substring(0, 140) + "…" : first;
    }
}
