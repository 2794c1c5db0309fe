package dev.llamajvm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llamajvm.testing.GreedySmoke;
import dev.llamajvm.testing.Stories;
import dev.llamajvm.testing.TinyLlama3;
import dev.llamajvm.testing.TinyVision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every build of the natives must compute alike, for comparing one build (Vulkan, arm64 under
 * emulation) in a child JVM with the CPU build in the test JVM: greedy tokens on stories260K, the
 * Llama 3 tokenizer, a mean-pooled embedding, a chat turn (Llama 3's template) and a vision chat turn. One line per result,
 * {@code result.<key>=<value>}, printed by {@link #main} after {@link NativeLibraries#describe()}.
 */
public final class BackendSmoke {

    private static final String TEXT = "Once upon a time, Lily saw a big red ball.";
    private static final double EMBEDDING_TOLERANCE = 1e-3;

    private BackendSmoke() {}

    public static void main(String[] args) {
        System.out.println(NativeLibraries.describe());
        try (LlamaModel stories = LlamaModel.load(Path.of(args[0]));
             LlamaModel llama3 = LlamaModel.load(Path.of(args[1]));
             Projector projector = llama3.loadProjector(Path.of(args[2]), TinyVision.options())) {
            results(stories, llama3, projector).forEach((key, value) -> System.out.println("result." + key + "=" + value));
        }
    }

    static Map<String, String> results(LlamaModel stories, LlamaModel llama3, Projector projector) {
        Map<String, String> results = new TreeMap<>();
        results.put("tokens", join(GreedySmoke.tokens(stories)));
        results.put("tokenized", join(Arrays.stream(llama3.tokenizer().tokenize(TEXT)).boxed().toList()));
        try (Embedder embedder = stories.newEmbedder(EmbeddingOptions.defaults()
                .pooling(EmbeddingOptions.Pooling.MEAN).threads(2))) {
            float[] vector = embedder.embed(List.of(TEXT))[0];
            List<Float> values = new ArrayList<>();
            for (float v : vector) {
                values.add(v);
            }
            results.put("embedding", join(values));
        }
        try (ChatSession chat = llama3.newChat(ChatOptions.defaults()
                .session(SessionOptions.defaults().contextSize(512).threads(2))
                .generate(GenerateOptions.defaults().maxTokens(8)))) {
            results.put("chat", join(chat.send("Tell me a story.").tokens()));
        }
        try (ChatSession chat = llama3.newChat(ChatOptions.defaults().projector(projector)
                .session(SessionOptions.defaults().contextSize(512).threads(2))
                .generate(GenerateOptions.defaults().maxTokens(8)))) {
            results.put("vision", join(chat.send(Message.user("What is in the picture?",
                    VisionChatTest.picture(1))).tokens()));
        }
        return results;
    }

    static Map<String, String> parse(String output) {
        Map<String, String> results = new TreeMap<>();
        output.lines().filter(l -> l.startsWith("result.")).forEach(l -> {
            int eq = l.indexOf('=');
            results.put(l.substring("result.".length(), eq), l.substring(eq + 1));
        });
        return results;
    }

    private static String join(List<?> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }

    /** The arguments {@link #main} takes: the stories model, the tiny Llama 3 and its projector. */
    static String[] args() {
        return new String[] {Stories.path().toString(), TinyLlama3.path(TinyLlama3.SEED).toString(),
                TinyVision.path().toString()};
    }

    /** Equal results, embeddings within {@value #EMBEDDING_TOLERANCE}; a difference names its first item. */
    static void assertSameResults(Map<String, String> expected, Map<String, String> actual, String output) {
        assertEquals(expected.keySet(), actual.keySet(), output);
        for (String key : expected.keySet()) {
            if (key.startsWith("embedding")) {
                assertVectorsClose(expected.get(key), actual.get(key), key);
            } else {
                assertEquals(expected.get(key), actual.get(key), key + ": " + firstDivergence(expected.get(key), actual.get(key)));
            }
        }
    }

    private static void assertVectorsClose(String expected, String actual, String what) {
        double[] e = Arrays.stream(expected.split(",")).mapToDouble(Double::parseDouble).toArray();
        double[] a = Arrays.stream(actual.split(",")).mapToDouble(Double::parseDouble).toArray();
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], EMBEDDING_TOLERANCE, what + " component " + i);
        }
    }

    private static String firstDivergence(String expected, String actual) {
        String[] e = expected.split(",");
        String[] a = actual.split(",");
        for (int i = 0; i < Math.min(e.length, a.length); i++) {
            if (!e[i].equals(a[i])) {
                return "first divergence at item " + i + ": " + e[i] + " expected, " + a[i] + " here";
            }
        }
        return "lengths " + e.length + " and " + a.length;
    }
}
