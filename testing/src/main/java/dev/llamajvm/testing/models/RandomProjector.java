package dev.llamajvm.testing.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes multimodal projector files (the {@code --mmproj} GGUF that llama.cpp's libmtmd loads) with
 * seeded random weights, in the layout llama.cpp's converters write for two {@link Family families}.
 * Random weights cost the same to run as trained ones, so these stand in for a real projector
 * wherever what the model says about the picture does not matter.
 *
 * <p>{@link Family#MLP}, a converted LLaVA 1.5 projector: a CLIP ViT image encoder followed by
 * LLaVA's two-layer MLP ({@code mm.0}, GELU, {@code mm.2}) into the text model's embedding width
 * ({@code clip.projector_type = "mlp"}). How libmtmd uses such a file: any picture is scaled, keeping its aspect ratio, to fit an
 * {@code imageSize} square and padded with grey (LLaVA 1.5's preprocessing), then cut into
 * {@code patchSize} patches, so every image becomes {@link Shape#imageTokens()} embeddings
 * ({@code (imageSize / patchSize)²}, no begin/end markers) whatever its size. As LLaVA takes the
 * features of the encoder's second-to-last layer, libmtmd runs {@code layers - 1} of the file's
 * blocks; the last is loaded but unused, as in real files (whose converter already dropped one).
 *
 * <p>The file mirrors what llama.cpp's LLaVA converter ({@code convert_image_encoder_to_gguf.py})
 * writes in F16 mode: matrices and the patch kernel F16, vectors F32, no post-layernorm, and its
 * legacy FFN names ({@code ffn_down} holds fc1, {@code ffn_up} fc2), which libmtmd recognises by
 * their shapes and swaps back (logging "ffn up/down are swapped", as it does for real files).
 *
 * <p>{@link Family#QWEN2VL}, a converted Qwen2-VL projector ({@code "qwen2vl_merger"}): a ViT
 * without class or position embeddings whose attention takes M-RoPE positions, a patch kernel split
 * in two temporal halves ({@code v.patch_embd.weight} and {@code .weight.1}, summed for a still
 * image), and a merger that joins 2x2 neighbouring patches ({@code v.post_ln}, {@code mm.0}, GELU,
 * {@code mm.2}). libmtmd keeps the picture's aspect ratio (sides rounded to 28 pixels, at least 8
 * tokens), so the token count depends on the picture; the image spans fewer positions than tokens
 * in the text model, which must be an M-RoPE one ({@link RandomLlama#tinyQwen2Vl}).
 *
 * <p>Files are cached, keyed by a hash of everything that goes into them, in a folder the caller
 * names. Making a tiny projector takes milliseconds.
 */
public final class RandomProjector {

    /** Bump when the way files are made changes, so stale cached files are not reused. */
    private static final int FORMAT = 1;

    /** The projector families these files can be, by {@code clip.projector_type}. */
    public enum Family {
        /** LLaVA 1.5: CLIP ViT, second-to-last layer, two-layer MLP. */
        MLP("mlp", 1e-5f),
        /** Qwen2-VL: ViT with 2D rotary positions, 2x2 patch merger. */
        QWEN2VL("qwen2vl_merger", 1e-6f);

        final String projectorType;
        final float layerNormEpsilon;

        Family(String projectorType, float layerNormEpsilon) {
            this.projectorType = projectorType;
            this.layerNormEpsilon = layerNormEpsilon;
        }
    }

    private RandomProjector() {}

    /**
     * A projector's hyperparameters.
     *
     * @param imageSize       side of the square the picture is fitted into, in pixels (MLP; for
     *                        QWEN2VL only the warmup image's size)
     * @param patchSize       side of a patch, in pixels; must divide imageSize
     * @param width           the encoder's embedding width
     * @param layers          encoder blocks in the file (for MLP, libmtmd runs all but the last)
     * @param heads           attention heads; must divide width
     * @param feedForward     the encoder's feed-forward width
     * @param projectorHidden width between the projector's two layers (LLaVA 1.5: the text width;
     *                        Qwen2-VL: four times the encoder width)
     */
    public record Shape(int imageSize, int patchSize, int width, int layers, int heads, int feedForward,
                        int projectorHidden) {

        public Shape {
            if (imageSize < 1 || patchSize < 1 || width < 1 || layers < 1 || heads < 1 || feedForward < 1
                    || projectorHidden < 1) {
                throw new IllegalArgumentException("sizes must be positive: " + this);
            }
            if (imageSize % patchSize != 0 || width % heads != 0) {
                throw new IllegalArgumentException("patch size must divide image size and heads the width: " + this);
            }
        }

        /**
         * 56-pixel images in 14-pixel patches (16 image tokens), width 32, 2 blocks (one runs), 4
         * heads, FF 64, projector hidden 64: about 43K parameters.
         */
        public static Shape tiny() {
            return new Shape(56, 14, 32, 2, 4, 64, 64);
        }

        /**
         * 56-pixel warmup image, 14-pixel patches, width 64, 2 blocks, 4 heads (16 wide, as M-RoPE
         * wants whole quarters), FF 128, merger hidden 256: about 150K parameters.
         */
        public static Shape tinyQwen2Vl() {
            return new Shape(56, 14, 64, 2, 4, 128, 256);
        }

        /** Embeddings one image becomes in an MLP projector: one per patch. */
        public int imageTokens() {
            int side = imageSize / patchSize;
            return side * side;
        }
    }

    /**
     * An MLP projector of the given shape whose output width is {@code textEmbedding} (the text
     * model's {@code n_embd}; libmtmd refuses a projector whose width differs from its model's),
     * made once and kept under {@code cacheDir}.
     */
    public static Path mlp(Shape shape, int textEmbedding, long seed, Path cacheDir) {
        return cached(Family.MLP, shape, textEmbedding, seed, cacheDir);
    }

    /** Like {@link #mlp} for a Qwen2-VL projector, for an M-RoPE text model. */
    public static Path qwen2vl(Shape shape, int textEmbedding, long seed, Path cacheDir) {
        return cached(Family.QWEN2VL, shape, textEmbedding, seed, cacheDir);
    }

    private static synchronized Path cached(Family family, Shape shape, int textEmbedding, long seed, Path cacheDir) {
        if (textEmbedding < 1) {
            throw new IllegalArgumentException("textEmbedding must be positive: " + textEmbedding);
        }
        String described = "format " + FORMAT + "\n" + shape + "\ntext " + textEmbedding + "\nseed " + seed + "\n";
        // The MLP family's key predates families: unchanged, so cached files stay valid.
        String key = CachedFile.sha256(family == Family.MLP ? described : family + "\n" + described);
        Path file = cacheDir.resolve("mmproj-" + family.projectorType + "-" + shape.layers() + "x" + shape.width()
                + "-to" + textEmbedding + "-seed" + seed + "-" + key.substring(0, 16) + ".gguf");
        try {
            return CachedFile.ensure(file, part -> make(family, shape, textEmbedding, seed, part));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes a projector into {@code target} (uncached); needs Java 22 or newer, as {@link RandomLlama#make} does. */
    public static void make(Family family, Shape shape, int textEmbedding, long seed, Path target) throws IOException {
        Writers.invoke("RandomProjectorWriter", new Class<?>[] {Family.class, Shape.class, int.class, long.class,
                Path.class}, family, shape, textEmbedding, seed, target);
    }
}
