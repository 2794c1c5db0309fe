package dev.llamajvm.testing.models;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes real GGUF files of the llama architecture with seeded random weights, through llama.cpp
 * itself: our metadata goes to {@code llama_model_init_from_user}, which builds the model's tensors
 * from the architecture's own definition and asks us (an upcall) to fill each one; then
 * {@code llama_model_save_to_file} writes it. Random weights cost the same to run as trained ones,
 * so these models stand in for real ones wherever the text they produce does not matter.
 *
 * <p>The made file carries exactly our metadata (the saver writes every hyperparameter llama.cpp
 * knows, mostly zeros, and drops the chat template and {@code general.*} keys), so the saved file
 * is read back and rewritten with our keys and only the tensors of a real converted Llama 3.2:
 * init_from_user creates every optional tensor too (per-matrix {@code .scale} and
 * {@code .input_scale}, biases, {@code rope_freqs}, and {@code output.weight} even for a tied
 * model). Those are filled neutrally (scales and factors 1, biases 0) and left out of the file.
 *
 * <p>Files are cached, keyed by a hash of everything that goes into them, in a folder the caller
 * names. Making the tiny model takes under two seconds; Llama-3.2-1B's shape about a minute.
 */
public final class RandomLlama {

    /** Bump when the way files are made changes, so stale cached files are not reused. */
    private static final int FORMAT = 2;

    private static final String VOCAB = "models/ggml-vocab-llama-bpe.gguf";
    private static final String TEMPLATE = "models/templates/meta-llama-Llama-3.2-3B-Instruct.jinja";

    private RandomLlama() {}

    /** How the weight matrices are stored; norms are always F32. */
    public enum WeightType { F32, F16 }

    /**
     * The llama.cpp architectures these files can have. They share the llama's tensors; they
     * differ in their keys and in how positions enter attention.
     */
    public enum Architecture {
        /** Llama 3: rotary positions over the whole head. */
        LLAMA("llama"),
        /**
         * Qwen2-VL's language model: rotary positions in M-RoPE sections (temporal, height,
         * width), which libmtmd gives an image's tokens in two dimensions. Its q/k/v biases are
         * optional and left out.
         */
        QWEN2VL("qwen2vl");

        private final String key;

        Architecture(String key) {
            this.key = key;
        }

        /** The name in {@code general.architecture}, which prefixes the model's keys. */
        public String key() {
            return key;
        }
    }

    /**
     * A llama's hyperparameters.
     *
     * @param layers        number of transformer blocks
     * @param embedding     embedding width
     * @param heads         attention heads
     * @param kvHeads       key/value heads (grouped-query attention when fewer than heads)
     * @param feedForward   feed-forward width
     * @param contextLength trained context length
     * @param ropeFreqBase  RoPE base frequency
     * @param rmsEpsilon    RMS norm epsilon
     * @param tiedOutput    whether the output projection is the token embedding (no output.weight)
     * @param weightType    storage type of the weight matrices
     * @param stddev        standard deviation of the random weights; 0 for 1/sqrt(fan-in), the usual
     *                      initialisation, which keeps activations of order 1 at any width (norms are 1)
     */
    public record Shape(int layers, int embedding, int heads, int kvHeads, int feedForward, int contextLength,
                        float ropeFreqBase, float rmsEpsilon, boolean tiedOutput, WeightType weightType, float stddev) {

        public Shape {
            if (layers < 1 || embedding < 1 || heads < 1 || kvHeads < 1 || feedForward < 1 || contextLength < 1) {
                throw new IllegalArgumentException("sizes must be positive: " + this);
            }
            if (stddev < 0) {
                throw new IllegalArgumentException("stddev must be 0 (fan-in scaled) or positive: " + this);
            }
            if (embedding % heads != 0 || heads % kvHeads != 0) {
                throw new IllegalArgumentException("embedding must divide into heads and heads into kv heads: " + this);
            }
        }

        /** 2 layers, width 64, 4 heads (2 for keys/values), FF 128, context 512, tied, F16: about 8.3M parameters. */
        public static Shape tiny() {
            return new Shape(2, 64, 4, 2, 128, 512, 500000f, 1e-5f, true, WeightType.F16, 0f);
        }

        /**
         * Llama-3.2-1B's shape (16 layers, 2048 wide, 32 heads, 8 kv heads, FF 8192, tied): 1.24B
         * parameters, 2.5 GB in F16. Without Llama 3's rope_freqs scaling factors, which matter only
         * past 8K tokens of context. Far too big for unit tests; for speed measurements.
         */
        public static Shape llama32OneB() {
            return new Shape(16, 2048, 32, 8, 8192, 131072, 500000f, 1e-5f, true, WeightType.F16, 0f);
        }

        public int headSize() {
            return embedding / heads;
        }

        public Shape withWeightType(WeightType type) {
            return new Shape(layers, embedding, heads, kvHeads, feedForward, contextLength, ropeFreqBase, rmsEpsilon,
                    tiedOutput, type, stddev);
        }

        public Shape withTiedOutput(boolean tied) {
            return new Shape(layers, embedding, heads, kvHeads, feedForward, contextLength, ropeFreqBase, rmsEpsilon,
                    tied, weightType, stddev);
        }
    }

    /**
     * The {@link Shape#tiny() tiny} llama with Llama 3's vocabulary and tokenizer (128256 tokens,
     * from the pinned source's {@value #VOCAB}) and Llama 3.2's chat template, made once per seed.
     */
    public static Path tinyLlama3(long seed, Path llamaSource, Path cacheDir) {
        return llama3(Shape.tiny(), seed, llamaSource, cacheDir);
    }

    /**
     * A llama of the given shape with Llama 3's vocabulary and Llama 3.2's chat template (both read
     * from the pinned source {@code llamaSource}), made once and kept under {@code cacheDir}.
     */
    public static Path llama3(Shape shape, long seed, Path llamaSource, Path cacheDir) {
        return withLlama3Vocabulary(Architecture.LLAMA, shape, seed, llamaSource, cacheDir);
    }

    /**
     * The {@link Shape#tiny() tiny} shape as a Qwen2-VL language model (M-RoPE positions), with
     * Llama 3's vocabulary and chat template like {@link #tinyLlama3}, made once per seed: the
     * text side of a vision pair with {@link RandomProjector#qwen2vl}.
     */
    public static Path tinyQwen2Vl(long seed, Path llamaSource, Path cacheDir) {
        return withLlama3Vocabulary(Architecture.QWEN2VL, Shape.tiny(), seed, llamaSource, cacheDir);
    }

    private static synchronized Path withLlama3Vocabulary(Architecture architecture, Shape shape, long seed,
                                                          Path llamaSource, Path cacheDir) {
        Path vocab = llamaSource.resolve(VOCAB);
        Path template = llamaSource.resolve(TEMPLATE);
        try {
            String key = CachedFile.sha256("format " + FORMAT + "\n" + architecture + "\n" + shape + "\nseed " + seed
                    + "\n", Files.readAllBytes(vocab), Files.readAllBytes(template));
            String prefix = architecture == Architecture.LLAMA ? "llama3-" : architecture.key() + "-";
            Path file = cacheDir.resolve(prefix + shape.layers() + "x" + shape.embedding() + "-seed" + seed + "-"
                    + key.substring(0, 16) + ".gguf");
            String chatTemplate = Files.readString(template);
            return CachedFile.ensure(file, part -> make(architecture, shape, seed, vocab, chatTemplate, part));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Makes a model into {@code target} (uncached): the tokenizer keys of {@code vocabGguf}, the
     * given chat template (none if null), and random weights drawn from {@code seed}. Needs Java 22
     * or newer (the writer calls llama.cpp through the Panama bindings); on older Java only models
     * already in the cache can be used.
     */
    public static void make(Shape shape, long seed, Path vocabGguf, String chatTemplate, Path target) throws IOException {
        make(Architecture.LLAMA, shape, seed, vocabGguf, chatTemplate, target);
    }

    /** Like {@link #make(Shape, long, Path, String, Path)} for any of the {@link Architecture}s. */
    public static void make(Architecture architecture, Shape shape, long seed, Path vocabGguf, String chatTemplate,
                            Path target) throws IOException {
        Writers.invoke("RandomLlamaWriter", new Class<?>[] {Architecture.class, Shape.class, long.class, Path.class,
                String.class, Path.class}, architecture, shape, seed, vocabGguf, chatTemplate, target);
    }
}
