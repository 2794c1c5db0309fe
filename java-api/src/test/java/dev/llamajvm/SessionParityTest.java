package dev.llamajvm;

import dev.llamajvm.testing.LlamaCompletion;
import dev.llamajvm.testing.Stories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Through the public API, the same model, prompt, sampler chain and seed give exactly the token
 * ids of llama.cpp's own llama-completion built from the same source.
 */
class SessionParityTest {

    private static final String PROMPT = "Once upon a time";
    private static final int GENERATED = 48;
    private static Path modelPath;
    private static LlamaModel model;

    @BeforeAll
    static void load() {
        modelPath = Stories.path();
        model = Stories.model();
    }


    static Stream<Arguments> chains() {
        return Stream.of(
                Arguments.of("greedy", Sampling.greedy(), new String[] {"--temp", "0"}),
                Arguments.of("top-k, top-p, temperature", Sampling.seeded(42).topK(40).topP(0.9f).temperature(0.8f),
                        new String[] {"--samplers", "top_k;top_p;temperature", "--top-k", "40", "--top-p", "0.9",
                                "--temp", "0.8", "-s", "42"}),
                Arguments.of("penalties, min-p, temperature",
                        Sampling.seeded(7).penalties(64, 1.3f, 0.1f, 0.2f).minP(0.1f).temperature(0.9f),
                        new String[] {"--samplers", "penalties;min_p;temperature", "--repeat-last-n", "64",
                                "--repeat-penalty", "1.3", "--frequency-penalty", "0.1", "--presence-penalty", "0.2",
                                "--min-p", "0.1", "--temp", "0.9", "-s", "7"}),
                Arguments.of("mirostat v2", Sampling.seeded(11).temperature(1.0f).mirostatV2(5.0f, 0.1f),
                        new String[] {"--mirostat", "2", "--mirostat-ent", "5.0", "--mirostat-lr", "0.1",
                                "--temp", "1.0", "-s", "11"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chains")
    void tokensEqualLlamaCompletion(String name, Sampling sampling, String[] flags) throws Exception {
        int promptLength = model.tokenizer().tokenize(PROMPT).length;
        Reply ours;
        try (Session session = model.newSession(SessionOptions.defaults().contextSize(256).threads(2))) {
            ours = session.complete(PROMPT, GenerateOptions.defaults().maxTokens(GENERATED).ignoreEos(true).sampling(sampling));
        }
        LlamaCompletion.Run theirs = LlamaCompletion.run(modelPath, PROMPT, GENERATED, withIgnoreEos(flags));

        assertEquals(GENERATED, ours.generatedTokens());
        assertEquals(theirs.generated(promptLength, GENERATED), ours.tokens(), name);
        // Our text is exactly the bytes of their tokens (llama-completion's own print is not used:
        // its asynchronous log may lose the tail at exit).
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        theirs.generated(promptLength, GENERATED).forEach(id -> bytes.writeBytes(model.tokenizer().tokenBytes(id)));
        assertEquals(bytes.toString(java.nio.charset.StandardCharsets.UTF_8), ours.text());
    }

    private static String[] withIgnoreEos(String[] flags) {
        String[] all = java.util.Arrays.copyOf(flags, flags.length + 1);
        all[flags.length] = "--ignore-eos";
        return all;
    }
}
