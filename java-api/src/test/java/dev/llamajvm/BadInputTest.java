package dev.llamajvm;

import dev.llamajvm.testing.CorruptGguf;
import dev.llamajvm.testing.TestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input gets a specific exception and the JVM lives on: broken model files (llama.cpp's
 * test-gguf cases among them), load callbacks that refuse or throw, closed objects, over-long
 * prompts, invalid grammars, strings that are not valid UTF-16.
 */
class BadInputTest {

    private static final String PROMPT = "Once upon a time";
    private static Path stories;
    private static LlamaModel model;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        stories = TestEnvironment.sharedModel("stories260K.gguf");
        model = LlamaModel.load(stories);
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    /** After every case the library still works: nothing crashed or was left broken. */
    @AfterEach
    void theLibraryStillWorks() {
        try (Session session = model.newSession(SessionOptions.defaults().contextSize(64).threads(2))) {
            assertEquals(3, session.complete(PROMPT, GenerateOptions.defaults().maxTokens(3).ignoreEos(true)).generatedTokens());
        }
    }

    private static ModelLoadException failsToLoad(Path file) {
        return failsToLoad(file, ModelOptions.defaults());
    }

    private static ModelLoadException failsToLoad(Path file, ModelOptions options) {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> {
            LlamaModel loaded = LlamaModel.load(file, options);
            loaded.close();
        }, file.getFileName() + " must not load");
        assertTrue(e.getMessage().contains(file.getFileName().toString()), "the message names the file: " + e.getMessage());
        return e;
    }

    /** A failure inside llama.cpp carries what it logged, its error line among it. */
    private static void carriesLlamaCppsReason(ModelLoadException e) {
        assertFalse(e.nativeLog().isEmpty(), "nativeLog is empty for: " + e.getMessage());
        assertTrue(e.nativeLog().stream().anyMatch(line -> line.startsWith("error: ")), "an error line in " + e.nativeLog());
        assertTrue(e.getMessage().contains(e.nativeLog().get(0)), "the message repeats the log: " + e.getMessage());
    }

    @Test
    void missingFile() {
        ModelLoadException e = failsToLoad(dir.resolve("no-such-model.gguf"));
        assertTrue(e.getMessage().contains("no model file"), e.getMessage());
    }

    @Test
    void aDirectoryIsNotAModel() throws IOException {
        failsToLoad(Files.createDirectory(dir.resolve("folder.gguf")));
    }

    @Test
    void emptyFile() throws IOException {
        carriesLlamaCppsReason(failsToLoad(Files.createFile(dir.resolve("empty.gguf"))));
    }

    @Test
    void aTextFileIsNotGguf() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.gguf"), "This is not a model.\n".repeat(200), StandardCharsets.UTF_8);
        ModelLoadException e = failsToLoad(text);
        carriesLlamaCppsReason(e);
        assertTrue(e.nativeLog().stream().anyMatch(l -> l.contains("magic")), "llama.cpp says the magic is wrong: " + e.nativeLog());
    }

    /** The first N bytes of stories260K: inside the magic, the header, the KVs, the tensor infos and the data. */
    @ParameterizedTest(name = "first {0} bytes")
    @ValueSource(longs = {3, 4, 8, 24, 100, 1_000, 10_000, 100_000, -2, -1})
    void truncatedGguf(long length) throws IOException {
        long size = Files.size(stories);
        long keep = length == -2 ? size / 2 : length == -1 ? size - 1 : length;
        Path truncated = dir.resolve("stories260K-first-" + keep + ".gguf");
        try (InputStream in = Files.newInputStream(stories)) {
            Files.write(truncated, in.readNBytes((int) keep));
        }
        carriesLlamaCppsReason(failsToLoad(truncated));
        carriesLlamaCppsReason(failsToLoad(truncated, ModelOptions.defaults().vocabOnly(true).mmap(false)));
    }

    /** The handcrafted corrupt files of llama.cpp's tests/test-gguf.cpp. */
    @ParameterizedTest
    @EnumSource(CorruptGguf.class)
    void corruptGguf(CorruptGguf corruption) {
        Path file = corruption.writeTo(dir);
        carriesLlamaCppsReason(failsToLoad(file));
        carriesLlamaCppsReason(failsToLoad(file, ModelOptions.defaults().vocabOnly(true)));
    }

    @Test
    void aProgressListenerThatReturnsFalseCancelsTheLoad() {
        AtomicInteger calls = new AtomicInteger();
        ModelLoadException e = failsToLoad(stories, ModelOptions.defaults().onProgress(p -> {
            calls.incrementAndGet();
            return false;
        }));
        assertTrue(e.getMessage().contains("cancelled"), e.getMessage());
        assertEquals(1, calls.get(), "llama.cpp stops at the first refusal");
        assertEquals(null, e.getCause());
    }

    @Test
    void aProgressListenerThatThrowsFailsTheLoadWithItsException() {
        IllegalStateException thrown = new IllegalStateException("listener failed");
        AtomicInteger calls = new AtomicInteger();
        ModelLoadException e = failsToLoad(stories, ModelOptions.defaults().onProgress(p -> {
            calls.incrementAndGet();
            throw thrown;
        }));
        assertSame(thrown, e.getCause());
        assertEquals(1, calls.get(), "the load stops at the exception");
    }

    @Test
    void aProgressListenerThatThrowsAnErrorFailsTheLoadWithIt() {
        AssertionError thrown = new AssertionError("listener error");
        ModelLoadException e = failsToLoad(stories, ModelOptions.defaults().onProgress(p -> {
            throw thrown;
        }));
        assertSame(thrown, e.getCause());
    }

    @Test
    void aProgressListenerThatAgreesSeesTheLoadToTheEnd() {
        AtomicInteger calls = new AtomicInteger();
        float[] last = {-1};
        try (LlamaModel loaded = LlamaModel.load(stories, ModelOptions.defaults().onProgress(p -> {
            calls.incrementAndGet();
            assertTrue(p >= last[0], "progress goes forward");
            last[0] = p;
            return true;
        }))) {
            assertTrue(calls.get() > 0);
            assertEquals(1.0f, last[0]);
            assertEquals(512, loaded.info().vocabularySize());
        }
    }

    @Test
    void closeTwice() {
        LlamaModel own = LlamaModel.load(stories);
        Session session = own.newSession(SessionOptions.defaults().contextSize(64).threads(2));
        session.close();
        session.close();
        own.close();
        own.close();
        assertDoesNotThrow(session::close);
    }

    @Test
    void closeRightAfterLoad() {
        for (int i = 0; i < 5; i++) {
            LlamaModel.load(stories).close();
        }
        LlamaModel own = LlamaModel.load(stories);
        Session session = own.newSession(SessionOptions.defaults().contextSize(64).threads(2));
        own.close();
        assertThrows(IllegalStateException.class, () -> session.complete(PROMPT));
        session.close();
    }

    @Test
    void closeRightAfterAVocabOnlyLoad() {
        for (int i = 0; i < 5; i++) {
            LlamaModel.load(stories, ModelOptions.defaults().vocabOnly(true)).close();
        }
        try (LlamaModel vocab = LlamaModel.load(stories, ModelOptions.defaults().vocabOnly(true))) {
            assertEquals(512, vocab.info().vocabularySize());
            assertTrue(vocab.tokenizer().tokenize(PROMPT).length > 1);
        }
    }

    @Test
    void useAfterCloseThrowsIllegalState() {
        LlamaModel own = LlamaModel.load(stories);
        Tokenizer tokenizer = own.tokenizer();
        Session session = own.newSession(SessionOptions.defaults().contextSize(64).threads(2));
        int[] tokens = tokenizer.tokenize(PROMPT);
        own.close();

        assertThrows(IllegalStateException.class, () -> tokenizer.tokenize(PROMPT));
        assertThrows(IllegalStateException.class, () -> tokenizer.tokenize(PROMPT, false, true));
        assertThrows(IllegalStateException.class, () -> tokenizer.detokenize(tokens));
        assertThrows(IllegalStateException.class, () -> tokenizer.tokenBytes(tokens[0]));
        assertThrows(IllegalStateException.class, () -> tokenizer.piece(tokens[0]));
        assertThrows(IllegalStateException.class, own::tokenizer);
        assertThrows(IllegalStateException.class, own::info);
        assertThrows(IllegalStateException.class, own::newSession);
        assertThrows(IllegalStateException.class, () -> own.newSession(SessionOptions.defaults().contextSize(64)));
        assertThrows(IllegalStateException.class, own::newChat);

        assertThrows(IllegalStateException.class, () -> session.complete(PROMPT));
        assertThrows(IllegalStateException.class, () -> session.stream(PROMPT, GenerateOptions.defaults()));
        assertThrows(IllegalStateException.class, session::cachedTokens);
        assertThrows(IllegalStateException.class, session::reset);
        assertDoesNotThrow(session::cancel);
    }

    @Test
    void aStreamOfAClosedSessionThrowsIllegalState() {
        Session session = model.newSession(SessionOptions.defaults().contextSize(64).threads(2));
        Stream<String> stream = session.stream(PROMPT, GenerateOptions.defaults().maxTokens(20).ignoreEos(true));
        var pieces = stream.iterator();
        assertTrue(pieces.hasNext());
        pieces.next();
        session.close();
        assertThrows(IllegalStateException.class, pieces::hasNext);
        assertDoesNotThrow(stream::close);
    }

    @Test
    void aPromptLongerThanTheContextIsPromptTooLong() {
        try (Session session = model.newSession(SessionOptions.defaults().contextSize(64).threads(2))) {
            String longPrompt = "Once upon a time there was a cat. ".repeat(40);
            assertTrue(model.tokenizer().tokenize(longPrompt).length > 64);
            assertThrows(PromptTooLongException.class, () -> session.complete(longPrompt));
            assertThrows(PromptTooLongException.class, () -> {
                try (Stream<String> s = session.stream(longPrompt, GenerateOptions.defaults())) {
                    s.forEach(piece -> { });
                }
            });
            assertEquals(0, session.cachedTokens(), "nothing of the failed prompt stays in the cache");
            assertEquals(2, session.complete(PROMPT, GenerateOptions.defaults().maxTokens(2).ignoreEos(true)).generatedTokens());
            // The same with history in the cache; the session stays usable after it.
            assertThrows(PromptTooLongException.class, () -> session.complete(longPrompt));
            assertEquals(2, session.complete(PROMPT, GenerateOptions.defaults().maxTokens(2).ignoreEos(true)).generatedTokens());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"root ::= ( unclosed", "root ::= undefined-rule", "start ::= \"a\"", "root ::= [z-a", "::="})
    void anInvalidGrammarIsInvalidSampling(String grammar) {
        try (Session session = model.newSession(SessionOptions.defaults().contextSize(64).threads(2))) {
            InvalidSamplingException e = assertThrows(InvalidSamplingException.class, () -> session.complete(PROMPT,
                    GenerateOptions.defaults().maxTokens(4).sampling(Sampling.greedy().grammar(grammar))));
            assertFalse(e.nativeLog().isEmpty(), "carries llama.cpp's reason: " + e.getMessage());
            assertEquals(2, session.complete(PROMPT, GenerateOptions.defaults().maxTokens(2).ignoreEos(true)).generatedTokens());
        }
    }

    /**
     * Java strings cannot hold invalid UTF-8, but they can hold lone surrogates, which have no
     * UTF-8 form: tokenizing them must not crash, and gives valid text back.
     */
    @ParameterizedTest
    @ValueSource(strings = {"abc\uD800def", "\uDC00", "ends in a high surrogate \uD83D", "\uDE00\uD83D swapped pair", "\uD800\uD800\uD800"})
    void loneSurrogatesDoNotCrashTokenization(String text) {
        Tokenizer tokenizer = model.tokenizer();
        int[] tokens = assertDoesNotThrow(() -> tokenizer.tokenize(text));
        assertTrue(tokens.length > 1, Arrays.toString(tokens));
        String back = tokenizer.detokenize(tokens);
        assertEquals(back, new String(back.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8), "valid text comes back");
        for (String word : List.of("abc", "def", "swapped", "surrogate")) {
            if (text.contains(word)) {
                assertTrue(back.contains(word), back);
            }
        }
        assertDoesNotThrow(() -> tokenizer.tokenize(text, false, true));
        try (Session session = model.newSession(SessionOptions.defaults().contextSize(64).threads(2))) {
            assertEquals(2, session.complete(text, GenerateOptions.defaults().maxTokens(2).ignoreEos(true)).generatedTokens());
        }
    }

    @Test
    void aVocabularyOnlyModelRefusesToGenerate() {
        try (LlamaModel vocab = LlamaModel.load(TestEnvironment.sharedModel("stories260K.gguf"),
                ModelOptions.defaults().vocabOnly(true))) {
            assertTrue(vocab.tokenizer().tokenize("Once upon a time").length > 1);
            assertThrows(IllegalStateException.class, vocab::newSession);
            assertThrows(IllegalStateException.class, vocab::newChat);
            assertThrows(IllegalStateException.class, vocab::newEmbedder);
        }
    }
}
