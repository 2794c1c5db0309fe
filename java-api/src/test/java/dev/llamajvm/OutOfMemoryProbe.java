package dev.llamajvm;

import java.nio.file.Path;

/**
 * What {@link NativeOutOfMemoryTest} runs in a child JVM (a native abort there fails the test, not
 * the run): loads a model, or loads it and opens a session, and prints how that ended:
 * {@code RESULT ok} or {@code RESULT <exception class>}, then the exception's message.
 *
 * <pre>
 *   load    MODEL                          (mmap off: the weights are allocated)
 *   session MODEL CONTEXT BATCH UBATCH
 * </pre>
 */
public final class OutOfMemoryProbe {

    public static void main(String[] args) {
        Path model = Path.of(args[1]);
        try {
            if (args[0].equals("load")) {
                LlamaModel.load(model, ModelOptions.defaults().mmap(false)).close();
            } else {
                SessionOptions options = SessionOptions.defaults().threads(1).contextSize(Integer.parseInt(args[2]))
                        .batchSize(Integer.parseInt(args[3])).ubatchSize(Integer.parseInt(args[4]));
                try (LlamaModel loaded = LlamaModel.load(model); Session session = loaded.newSession(options)) {
                    System.out.println("context " + session.contextSize());
                }
            }
            System.out.println("RESULT ok");
        } catch (RuntimeException e) {
            System.out.println("RESULT " + e.getClass().getName());
            System.out.println(e.getMessage());
        }
    }
}
