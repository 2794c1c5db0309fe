package dev.llamajvm;

import dev.llamajvm.testing.TestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Tokenisation equals llama.cpp's own test vectors: every {@code models/ggml-vocab-*.gguf} of the
 * pinned source that has {@code .inp}/{@code .out} files beside it, read and tokenized exactly as
 * {@code tests/test-tokenizer-0.cpp} does (vocab only, add_special=false, parse_special=false).
 */
class TokenizerTest {

    /** test-tokenizer-0.cpp splits the .inp file on this, newlines included. */
    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    private static final Map<Path, LlamaModel> VOCABS = new ConcurrentHashMap<>();
    private static LlamaModel stories;

    @AfterAll
    static void closeModels() {
        VOCABS.values().forEach(LlamaModel::close);
        VOCABS.clear();
        if (stories != null) {
            stories.close();
        }
    }

    /** The vocab files that have test vectors, sorted by name. */
    static Stream<Path> vocabFiles() throws IOException {
        Path models = TestEnvironment.llamaSource().resolve("models");
        List<Path> files;
        try (Stream<Path> list = Files.list(models)) {
            files = list.filter(p -> p.getFileName().toString().matches("ggml-vocab-.*\\.gguf"))
                    .filter(p -> Files.isRegularFile(inp(p)) && Files.isRegularFile(out(p)))
                    .sorted()
                    .toList();
        }
        assertFalse(files.isEmpty(), "no ggml-vocab-*.gguf with .inp/.out in " + models);
        return files.stream();
    }

    private static Path inp(Path vocab) {
        return vocab.resolveSibling(vocab.getFileName() + ".inp");
    }

    private static Path out(Path vocab) {
        return vocab.resolveSibling(vocab.getFileName() + ".out");
    }

    private static LlamaModel vocab(Path file) {
        return VOCABS.computeIfAbsent(file, f -> LlamaModel.load(f, ModelOptions.defaults().vocabOnly(true)));
    }

    /**
     * Reads the vectors as test-tokenizer-0.cpp's read_tests does: the .inp split on the separator
     * (a trailing separator ends the last test, it does not start an empty one), one .out line per
     * input, each stripped and split on single spaces. Its std::map keeps the last of equal inputs.
     */
    static Map<String, int[]> readTests(Path vocab) throws IOException {
        String raw = Files.readString(inp(vocab), StandardCharsets.UTF_8);
        List<String> inputs = new ArrayList<>();
        int pos = 0;
        while (pos < raw.length()) {
            int next = raw.indexOf(SEPARATOR, pos);
            if (next < 0) {
                inputs.add(raw.substring(pos));
                break;
            }
            inputs.add(raw.substring(pos, next));
            pos = next + SEPARATOR.length();
        }
        List<String> outputs = Files.readAllLines(out(vocab), StandardCharsets.UTF_8);
        assertEquals(inputs.size(), outputs.size(), vocab.getFileName() + ": .inp and .out hold different numbers of tests");
        Map<String, int[]> tests = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            String line = outputs.get(i).strip();
            int[] ids = line.isEmpty() ? new int[0] : Arrays.stream(line.split(" ")).mapToInt(Integer::parseInt).toArray();
            tests.put(inputs.get(i), ids);
        }
        assertFalse(tests.isEmpty(), vocab + " holds no tests");
        return tests;
    }

    /** Tokenizes like test-tokenizer-0.cpp: common_tokenize(ctx, text, add_special=false, parse_special=false). */
    private static int[] tokenize(Tokenizer tokenizer, String text) {
        return tokenizer.tokenize(text, false, false);
    }

    private static List<String> mismatches(Tokenizer tokenizer, Map<String, int[]> tests) {
        List<String> failures = new ArrayList<>();
        tests.forEach((input, expected) -> {
            int[] actual = tokenize(tokenizer, input);
            if (!Arrays.equals(expected, actual)) {
                failures.add("input '" + input + "': expected " + Arrays.toString(expected) + " but got " + Arrays.toString(actual));
            }
        });
        return failures;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vocabFiles")
    void tokenizationEqualsLlamaCppTestVectors(Path vocabFile) throws IOException {
        Map<String, int[]> tests = readTests(vocabFile);
        List<String> failures = mismatches(vocab(vocabFile).tokenizer(), tests);
        if (!failures.isEmpty()) {
            fail(vocabFile.getFileName() + ": " + failures.size() + " of " + tests.size() + " inputs tokenized differently:\n  "
                    + String.join("\n  ", failures));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vocabFiles")
    void fourThreadsOnOneModelGetTheSameTokens(Path vocabFile) throws Exception {
        Map<String, int[]> tests = readTests(vocabFile);
        Tokenizer tokenizer = vocab(vocabFile).tokenizer();
        List<String> inputs = List.copyOf(tests.keySet());
        int threads = 4;
        int rounds = 20;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<int[]>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<List<int[]>> work = () -> {
                    start.await();
                    List<int[]> last = null;
                    for (int r = 0; r < rounds; r++) {
                        List<int[]> round = new ArrayList<>();
                        for (String input : inputs) {
                            round.add(tokenize(tokenizer, input));
                        }
                        if (last != null) {
                            for (int i = 0; i < round.size(); i++) {
                                assertArrayEquals(last.get(i), round.get(i), "round " + r + " changed '" + inputs.get(i) + "'");
                            }
                        }
                        last = round;
                    }
                    return last;
                };
                results.add(pool.submit(work));
            }
            start.countDown();
            for (Future<List<int[]>> result : results) {
                List<int[]> tokens = result.get();
                for (int i = 0; i < inputs.size(); i++) {
                    String input = inputs.get(i);
                    assertArrayEquals(tokenize(tokenizer, input), tokens.get(i), "a thread tokenized '" + input + "' differently");
                    assertArrayEquals(tests.get(input), tokens.get(i), "'" + input + "' from a thread differs from llama.cpp's vector");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Tokenizer stories() {
        if (stories == null) {
            stories = LlamaModel.load(TestEnvironment.sharedModel("stories260K.gguf"));
        }
        return stories.tokenizer();
    }

    private static final List<String> PLAIN_TEXTS = List.of("Once upon a time, there was a little girl named Lily.",
            "She liked to play outside with her dog. \"Look!\" she said.", "a", "Tom and Sue went to the park 3 times");

    @Test
    void plainTextRoundTripsWithoutSpecialTokensOnStories260K() {
        Tokenizer tokenizer = stories();
        for (String text : PLAIN_TEXTS) {
            int[] tokens = tokenizer.tokenize(text, false, false);
            assertEquals(text, tokenizer.detokenize(tokens), "detokenize(tokenize(text, false, false)) of " + Arrays.toString(tokens));
        }
    }

    @Test
    void detokenizeOfTokenizeMatchesLlamaCppOnStories260K() {
        Tokenizer tokenizer = stories();
        for (String text : PLAIN_TEXTS) {
            int[] withBos = tokenizer.tokenize(text);
            assertEquals(stories.info().specialTokens().bos(), withBos[0], "starts with BOS: " + Arrays.toString(withBos));
            // llama.cpp strips SentencePiece's space prefix only from a first token that is not BOS
            // (llama-vocab.cpp, detokenize), so with BOS the text keeps its leading space.
            assertEquals(" " + text, tokenizer.detokenize(withBos), "detokenize(tokenize(text)) of " + Arrays.toString(withBos));
            assertEquals(text, tokenizer.detokenize(tokenizer.tokenize(text, false, false)));
        }
    }

    @Test
    void tokenBytesAndPieceOfATokenOnStories260K() {
        Tokenizer tokenizer = stories();
        String text = "Once upon a time there was a dog";
        int[] tokens = tokenizer.tokenize(text, false, false);
        assertTrue(tokens.length > 1, Arrays.toString(tokens));
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        StringBuilder pieces = new StringBuilder();
        for (int token : tokens) {
            byte[] bytes = tokenizer.tokenBytes(token);
            assertTrue(bytes.length > 0, "token " + token + " has bytes");
            joined.writeBytes(bytes);
            assertEquals(new String(bytes, StandardCharsets.UTF_8), tokenizer.piece(token));
            pieces.append(tokenizer.piece(token));
        }
        // SentencePiece: the first piece carries the word-start space llama.cpp adds before the text.
        assertEquals(" " + text, joined.toString(StandardCharsets.UTF_8));
        assertEquals(" " + text, pieces.toString());
        // Special tokens render as their text.
        assertEquals("<s>", tokenizer.piece(stories.info().specialTokens().bos()));
        assertEquals("</s>", tokenizer.piece(stories.info().specialTokens().eos()));
        // A byte token holds part of a character: the piece shows U+FFFD for it.
        // "\u0436" (2 UTF-8 bytes, D0 B6) has no token in this 512-token vocab: byte fallback.
        int[] zhe = tokenizer.tokenize("\u0436", false, false);
        assertTrue(zhe.length >= 2, Arrays.toString(zhe));
        byte[] last = tokenizer.tokenBytes(zhe[zhe.length - 1]);
        assertArrayEquals(new byte[] {(byte) 0xB6}, last);
        assertArrayEquals(new byte[] {(byte) 0xD0}, tokenizer.tokenBytes(zhe[zhe.length - 2]));
        assertEquals("\ufffd", tokenizer.piece(zhe[zhe.length - 1]));
        assertEquals("\u0436", tokenizer.detokenize(zhe));
    }

    @Test
    void outOfRangeTokenIdsAreRejectedNotCrashed() {
        Tokenizer tokenizer = stories();
        int size = stories.info().vocabularySize();
        for (int bad : new int[] {size, size + 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            assertThrows(IllegalArgumentException.class, () -> tokenizer.tokenBytes(bad), "tokenBytes(" + bad + ")");
            assertThrows(IllegalArgumentException.class, () -> tokenizer.piece(bad), "piece(" + bad + ")");
            assertThrows(IllegalArgumentException.class, () -> tokenizer.detokenize(new int[] {1, 100, bad}), "detokenize ... " + bad);
        }
        assertTrue(tokenizer.tokenBytes(size - 1).length > 0, "the last id is fine");
        assertEquals("", tokenizer.detokenize(new int[0]));
    }
}
