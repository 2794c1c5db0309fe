package dev.llamajvm;

import dev.llamajvm.testing.LlamaCompletion;
import dev.llamajvm.testing.TinyLlama3;
import dev.llamajvm.testing.models.RandomLlama;
import dev.llamajvm.testing.TestEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The random-weight models {@link RandomLlama} makes through llama.cpp are real models: they load
 * through the public API with the shape, vocabulary and chat template they were made with, are
 * reproducible from their seed, and generate exactly what llama.cpp's own llama-completion does.
 */
class RandomLlamaTest {

    private static final long SEED = 20240917;
    private static final String PROMPT = "Hello";
    private static final int GENERATED = 32;

    private static Path path;
    private static LlamaModel model;

    @BeforeAll
    static void make() {
        long start = System.nanoTime();
        path = TinyLlama3.path(SEED);
        long made = System.nanoTime();
        model = LlamaModel.load(path);
        System.out.printf("RandomLlama: %s (%.1f MB) made or found in %d ms, loaded in %d ms%n", path,
                path.toFile().length() / 1e6, (made - start) / 1_000_000, (System.nanoTime() - made) / 1_000_000);
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void loadsWithTheShapeVocabularyAndTemplateItWasMadeWith() throws Exception {
        RandomLlama.Shape shape = RandomLlama.Shape.tiny();
        ModelInfo info = model.info();
        assertEquals("llama", info.architecture());
        assertEquals(128256, info.vocabularySize());
        assertEquals(shape.layers(), info.layerCount());
        assertEquals(shape.embedding(), info.embeddingSize());
        assertEquals(shape.heads(), info.headCount());
        assertEquals(shape.contextLength(), info.trainedContextLength());
        assertEquals(String.valueOf(shape.kvHeads()), info.metadata().get("llama.attention.head_count_kv"));
        assertEquals(String.valueOf(shape.feedForward()), info.metadata().get("llama.feed_forward_length"));
        assertEquals("llama-bpe", info.metadata().get("tokenizer.ggml.pre"));

        String template = Files.readString(
                TestEnvironment.llamaSource().resolve("models/templates/meta-llama-Llama-3.2-3B-Instruct.jinja"));
        assertEquals(template, info.chatTemplate().orElseThrow());

        // Tied output, no biases: token embedding + per layer (2 norms, q, k, v, o, gate, up, down) + output norm.
        long kv = (long) shape.kvHeads() * shape.headSize();
        long perLayer = 2L * shape.embedding() + 2L * shape.embedding() * shape.embedding()
                + 2L * shape.embedding() * kv + 3L * shape.embedding() * shape.feedForward();
        long expected = 128256L * shape.embedding() + shape.layers() * perLayer + shape.embedding();
        assertEquals(expected, info.parameterCount());

        // The real Llama 3 tokenizer: BOS <|begin_of_text|>, then "Hello" "," " world" "!".
        assertArrayEquals(new int[] {128000, 9906, 11, 1917, 0}, model.tokenizer().tokenize("Hello, world!"));
        assertEquals(128000, info.specialTokens().bos());
        assertEquals("<|eot_id|>", model.tokenizer().piece(info.specialTokens().eot()));
    }

    @Test
    void theSameSeedMakesTheSameBytesAndAnotherSeedOthers(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 22,
                "making a model calls llama.cpp through the Panama bindings (Java 22+)");
        Path source = TestEnvironment.llamaSource();
        Path vocab = source.resolve("models/ggml-vocab-llama-bpe.gguf");
        String template = Files.readString(source.resolve("models/templates/meta-llama-Llama-3.2-3B-Instruct.jinja"));
        RandomLlama.Shape shape = RandomLlama.Shape.tiny();

        long start = System.nanoTime();
        Path again = dir.resolve("again.gguf");
        RandomLlama.make(shape, SEED, vocab, template, again);
        System.out.printf("RandomLlama: made the tiny model in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        Path other = dir.resolve("other.gguf");
        RandomLlama.make(shape, SEED + 1, vocab, template, other);

        assertEquals(-1L, Files.mismatch(path, again), "same seed, same bytes");
        assertEquals(Files.size(path), Files.size(other));
        assertNotEquals(-1L, Files.mismatch(path, other), "another seed, other weights");
        assertEquals(path, TinyLlama3.path(SEED), "cached");
    }

    @Test
    void anUntiedF32VariantLoadsAndGenerates(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 22,
                "making a model calls llama.cpp through the Panama bindings (Java 22+)");
        Path source = TestEnvironment.llamaSource();
        RandomLlama.Shape shape = RandomLlama.Shape.tiny().withTiedOutput(false).withWeightType(RandomLlama.WeightType.F32);
        Path file = dir.resolve("untied-f32.gguf");
        RandomLlama.make(shape, SEED, source.resolve("models/ggml-vocab-llama-bpe.gguf"), null, file);
        try (LlamaModel untied = LlamaModel.load(file);
             Session session = untied.newSession(SessionOptions.defaults().contextSize(64).threads(2))) {
            assertEquals(model.info().parameterCount() + 128256L * shape.embedding(), untied.info().parameterCount(),
                    "an output matrix of its own");
            assertTrue(untied.info().chatTemplate().isEmpty());
            Reply reply = session.complete(PROMPT, GenerateOptions.defaults().maxTokens(4).ignoreEos(true));
            assertEquals(4, reply.generatedTokens());
        }
    }

    @Test
    void greedyTokensEqualLlamaCompletion() throws Exception {
        int promptLength = model.tokenizer().tokenize(PROMPT).length;
        Reply ours;
        try (Session session = model.newSession(SessionOptions.defaults().contextSize(256).threads(2))) {
            ours = session.complete(PROMPT, GenerateOptions.defaults().maxTokens(GENERATED).ignoreEos(true)
                    .sampling(Sampling.greedy()));
        }
        LlamaCompletion.Run theirs = LlamaCompletion.run(path, PROMPT, GENERATED, "--temp", "0", "--ignore-eos");

        System.out.println("RandomLlama greedy: " + ours.tokens() + " = " + ours.text());
        assertEquals(GENERATED, ours.generatedTokens());
        assertEquals(theirs.generated(promptLength, GENERATED), ours.tokens());
        // Not a degenerate model repeating its input: the comparison means something.
        assertTrue(new HashSet<>(ours.tokens()).size() >= 5, "distinct tokens in " + ours.tokens());
    }

    @Test
    void multiByteCharactersForcedThroughByteTokensStreamWhole() {
        String text = "héllo wörld €😀 中文";
        // Llama 3's byte-level BPE has a token for every byte, and also whole characters (" €",
        // "中"): bar every token of several bytes that holds a non-ASCII one, so the grammar-forced
        // reply can only spell each non-ASCII character byte by byte.
        Map<Integer, Float> bias = new HashMap<>();
        for (int id = 0; id < model.info().vocabularySize(); id++) {
            byte[] bytes = model.tokenizer().tokenBytes(id);
            if (bytes.length > 1 && !isAscii(bytes)) {
                bias.put(id, -100f);
            }
        }
        Sampling forced = Sampling.greedy().grammar("root ::= \"" + text + "\"").logitBias(bias);
        GenerateOptions options = GenerateOptions.defaults().maxTokens(100).sampling(forced);
        try (Session session = model.newSession(SessionOptions.defaults().contextSize(256).threads(2))) {
            List<String> pieces;
            try (Stream<String> stream = session.stream(PROMPT, options)) {
                pieces = stream.toList();
            }
            assertEquals(text, String.join("", pieces));
            assertTrue(pieces.stream().noneMatch(p -> p.contains("\uFFFD")), "no replacement character: " + pieces);

            Reply reply = session.complete(PROMPT, options);
            assertEquals(text, reply.text());
            long loneBytes = reply.tokens().stream().filter(t -> {
                byte[] bytes = model.tokenizer().tokenBytes(t);
                return bytes.length == 1 && (bytes[0] & 0x80) != 0;
            }).count();
            // é ö € 😀 中 文: 2 + 2 + 3 + 4 + 3 + 3 bytes, each its own token.
            assertEquals(17, loneBytes, "lone-byte tokens in " + reply.tokens());
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if ((b & 0x80) != 0) {
                return false;
            }
        }
        return true;
    }
}
