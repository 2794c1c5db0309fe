package dev.llamajvm;

import dev.llamajvm.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** llama.cpp's log reaches System.Logger (here backed by java.util.logging), and a failing logger is harmless. */
class LoggingTest {

    /** Held strongly: java.util.logging keeps loggers weakly. */
    private static final Logger LLAMA = Logger.getLogger("dev.llamajvm.llama");

    @Test
    void nativeLogLinesReachTheJavaLogger() {
        List<String> messages = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override public void publish(LogRecord record) { messages.add(record.getMessage()); }
            @Override public void flush() { }
            @Override public void close() { }
        };
        LLAMA.addHandler(capture);
        try (LlamaModel model = LlamaModel.load(TestEnvironment.sharedModel("stories260K.gguf"))) {
            assertTrue(model.info().vocabularySize() > 0);
        } finally {
            LLAMA.removeHandler(capture);
        }
        // stories260K's header makes llama.cpp warn about its special tokens on every load.
        assertTrue(messages.stream().anyMatch(m -> m.contains("special token")), "got " + messages);
    }

    @Test
    void aDefaultSessionFitsTheModelsTrainedContextWithoutAWarning() {
        List<String> messages = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override public void publish(LogRecord record) { messages.add(record.getMessage()); }
            @Override public void flush() { }
            @Override public void close() { }
        };
        try (LlamaModel model = LlamaModel.load(TestEnvironment.sharedModel("stories260K.gguf"))) {
            int trained = model.info().trainedContextLength();
            assertTrue(trained < 4096, "stories260K was trained with " + trained + " tokens of context");
            LLAMA.addHandler(capture);
            LLAMA.setLevel(Level.ALL); // llama.cpp's context report is DEBUG: seeing it shows the capture works
            try (Session session = model.newSession();
                 ChatSession chat = model.newChat()) {
                assertEquals(trained, session.contextSize());
                assertEquals(trained, chat.session().contextSize());
            } finally {
                LLAMA.setLevel(null);
                LLAMA.removeHandler(capture);
            }
        }
        assertTrue(messages.stream().anyMatch(m -> m.contains("n_ctx")), "llama.cpp logged its context: " + messages);
        assertTrue(messages.stream().noneMatch(m -> m.contains("training context overflow")), "got " + messages);
    }

    @Test
    void aThrowingLogHandlerNeitherCrashesNorBreaksTheCall() {
        Handler failing = new Handler() {
            @Override public void publish(LogRecord record) { throw new IllegalStateException("handler failed"); }
            @Override public void flush() { }
            @Override public void close() { }
        };
        LLAMA.addHandler(failing);
        try (LlamaModel model = LlamaModel.load(TestEnvironment.sharedModel("stories260K.gguf"));
             Session session = model.newSession(SessionOptions.defaults().contextSize(64).threads(2))) {
            assertEquals(3, session.complete("Once", GenerateOptions.defaults().maxTokens(3)).generatedTokens());
        } finally {
            LLAMA.removeHandler(failing);
        }
    }
}
