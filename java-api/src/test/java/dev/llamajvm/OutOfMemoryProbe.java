package dev.llamajvm;

import java.nio.file.Path;

/**
 * What {@link NativeOutOfMemoryTest} runs in a child JVM (a native abort there fails the test, not
 * the run). Prints how each step ended: {@code RESULT ok} or {@code RESULT <exception class>} and
 * the exception's message.
 *
 * <pre>
 *   load    MODEL                         loads with mmap off (the weights are allocated)
 *   session MODEL CONTEXT BATCH UBATCH    loads, opens that session, then (the model still
 *                                         open) a 512-token one: {@code AFTER ok} when it opened
 *   estimate MODEL CONTEXT                estimates the memory of a session of that context
 * </pre>
 */
public final class OutOfMemoryProbe {

    public static void main(String[] args) {
        Path model = Path.of(args[1]);
        if (args[0].equals("load")) {
            report("RESULT", () -> LlamaModel.load(model, ModelOptions.defaults().mmap(false)).close());
            return;
        }
        if (args[0].equals("estimate")) {
            report("RESULT", () -> LlamaModel.estimateMemory(model, ModelOptions.defaults(),
                    SessionOptions.defaults().contextSize(Integer.parseInt(args[2]))));
            return;
        }
        SessionOptions asked = SessionOptions.defaults().threads(1).contextSize(Integer.parseInt(args[2]))
                .batchSize(Integer.parseInt(args[3])).ubatchSize(Integer.parseInt(args[4]));
        try (LlamaModel loaded = LlamaModel.load(model)) {
            report("RESULT", () -> loaded.newSession(asked).close());
            report("AFTER", () -> loaded.newSession(SessionOptions.defaults().threads(1).contextSize(512)).close());
        }
    }

    private static void report(String step, Runnable work) {
        try {
            work.run();
            System.out.println(step + " ok");
        } catch (RuntimeException e) {
            System.out.println(step + " " + e.getClass().getName());
            System.out.println(e.getMessage());
        }
    }
}
