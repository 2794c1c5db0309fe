package dev.llamajvm.testing.models;

import dev.llamajvm.bindings.NativeLookup;
import dev.llamajvm.bindings.ggml_h;
import dev.llamajvm.bindings.ggml_init_params;
import dev.llamajvm.bindings.gguf_h;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Makes multimodal projector files (the {@code --mmproj} GGUF that llama.cpp's libmtmd loads) with
 * seeded random weights, in the layout of a converted LLaVA 1.5 projector: a CLIP ViT image encoder
 * followed by LLaVA's two-layer MLP ({@code mm.0}, GELU, {@code mm.2}) into the text model's
 * embedding width ({@code clip.projector_type = "mlp"}). Random weights cost the same to run as
 * trained ones, so these stand in for a real projector wherever what the model says about the
 * picture does not matter.
 *
 * <p>How libmtmd uses such a file: any picture is scaled, keeping its aspect ratio, to fit an
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
 * <p>Files are cached, keyed by a hash of everything that goes into them, in a folder the caller
 * names. Making the tiny projector takes milliseconds.
 */
public final class RandomProjector {

    /** Bump when the way files are made changes, so stale cached files are not reused. */
    private static final int FORMAT = 1;

    /** OpenAI CLIP's normalisation, which LLaVA 1.5's files carry. */
    private static final float[] IMAGE_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] IMAGE_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    /** CLIP's layer norm epsilon. */
    private static final float LAYER_NORM_EPS = 1e-5f;

    /**
     * Scale of the class and position embeddings: small next to the patch embeddings (of order 1),
     * so the picture, not the position, dominates what the encoder sees.
     */
    private static final double EMBEDDING_STDDEV = 0.1;

    /** Scale of every bias: small, but not zero, so the adds are exercised. */
    private static final double BIAS_STDDEV = 0.02;

    private RandomProjector() {}

    /**
     * A LLaVA-style projector's hyperparameters.
     *
     * @param imageSize       side of the square the picture is fitted into, in pixels
     * @param patchSize       side of a patch, in pixels; must divide imageSize
     * @param width           the encoder's embedding width
     * @param layers          encoder blocks in the file (libmtmd runs all but the last)
     * @param heads           attention heads; must divide width
     * @param feedForward     the encoder's feed-forward width
     * @param projectorHidden width between the projector's two layers (LLaVA 1.5: the text width)
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

        /** Embeddings one image becomes: one per patch. */
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
    public static synchronized Path mlp(Shape shape, int textEmbedding, long seed, Path cacheDir) {
        if (textEmbedding < 1) {
            throw new IllegalArgumentException("textEmbedding must be positive: " + textEmbedding);
        }
        String key = GgufKeys.sha256("format " + FORMAT + "\n" + shape + "\ntext " + textEmbedding + "\nseed " + seed + "\n");
        Path file = cacheDir.resolve("mmproj-mlp-" + shape.layers() + "x" + shape.width() + "-to" + textEmbedding
                + "-seed" + seed + "-" + key.substring(0, 16) + ".gguf");
        try {
            return CachedFile.ensure(file, part -> make(shape, textEmbedding, seed, part));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes a projector into {@code target} (uncached), with random weights drawn from {@code seed}. */
    public static void make(Shape shape, int textEmbedding, long seed, Path target) throws IOException {
        NativeLookup.lookup(); // loads the natives (through the llama-jvm loader on the class path)
        List<Spec> specs = tensors(shape, textEmbedding);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = ggml_init_params.allocate(arena);
            ggml_init_params.mem_size(params, memSize(specs));
            ggml_init_params.mem_buffer(params, MemorySegment.NULL);
            ggml_init_params.no_alloc(params, false);   // the tensors' data live in the context
            MemorySegment data = ggml_h.ggml_init(params);
            if (data.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("ggml_init failed");
            }
            MemorySegment gguf = gguf_h.gguf_init_empty();
            try {
                metadata(new GgufKeys(gguf, arena), shape, textEmbedding, seed);
                for (Spec spec : specs) {
                    MemorySegment tensor = spec.create(data);
                    ggml_h.ggml_set_name(tensor, arena.allocateFrom(spec.name()));
                    fill(tensor, spec, seed);
                    gguf_h.gguf_add_tensor(gguf, tensor);
                }
                if (!gguf_h.gguf_write_to_file(gguf, arena.allocateFrom(target.toString()), false)) {
                    throw new IOException("gguf_write_to_file failed for " + target);
                }
            } finally {
                gguf_h.gguf_free(gguf);
                ggml_h.ggml_free(data);
            }
        }
    }

    /** The keys libmtmd reads for a LLaVA projector, as the LLaVA converter names them. */
    private static void metadata(GgufKeys kv, Shape shape, int textEmbedding, long seed) {
        kv.str("general.architecture", "clip");
        kv.str("general.name", "RandomProjector mlp " + shape.layers() + "x" + shape.width() + " seed " + seed);
        kv.str("general.description", "image encoder for LLaVA");
        kv.u32("general.file_type", 1);   // mostly F16
        kv.bool("clip.has_text_encoder", false);
        kv.bool("clip.has_vision_encoder", true);
        kv.bool("clip.has_llava_projector", true);
        kv.str("clip.projector_type", "mlp");
        kv.bool("clip.use_gelu", false);  // CLIP's quick GELU in the encoder; the projector always uses GELU
        kv.u32("clip.vision.image_size", shape.imageSize());
        kv.u32("clip.vision.patch_size", shape.patchSize());
        kv.u32("clip.vision.embedding_length", shape.width());
        kv.u32("clip.vision.feed_forward_length", shape.feedForward());
        kv.u32("clip.vision.projection_dim", textEmbedding);  // required but unused by the MLP projector
        kv.u32("clip.vision.attention.head_count", shape.heads());
        kv.f32("clip.vision.attention.layer_norm_epsilon", LAYER_NORM_EPS);
        kv.u32("clip.vision.block_count", shape.layers());
        kv.f32s("clip.vision.image_mean", IMAGE_MEAN);
        kv.f32s("clip.vision.image_std", IMAGE_STD);
    }

    /** How a tensor is filled. */
    private enum Fill { WEIGHT, EMBEDDING, BIAS, ONES, ZEROS }

    /** One tensor of the file: name, type, dimensions (ggml order: ne0 is the input side), filling. */
    private record Spec(String name, boolean f16, Fill fill, long... ne) {
        MemorySegment create(MemorySegment ctx) {
            int type = f16 ? ggml_h.GGML_TYPE_F16() : ggml_h.GGML_TYPE_F32();
            return switch (ne.length) {
                case 1 -> ggml_h.ggml_new_tensor_1d(ctx, type, ne[0]);
                case 2 -> ggml_h.ggml_new_tensor_2d(ctx, type, ne[0], ne[1]);
                case 4 -> ggml_h.ggml_new_tensor_4d(ctx, type, ne[0], ne[1], ne[2], ne[3]);
                default -> throw new IllegalStateException(name + ": unexpected rank " + ne.length);
            };
        }

        long count() {
            long n = 1;
            for (long d : ne) {
                n *= d;
            }
            return n;
        }

        /** Inputs feeding each output: everything but the last dimension (for the kernel, p·p·3). */
        long fanIn() {
            return count() / ne[ne.length - 1];
        }
    }

    /** The tensors, in the order the LLaVA converter writes them: projector first, then the encoder. */
    private static List<Spec> tensors(Shape s, int text) {
        int w = s.width();
        List<Spec> t = new ArrayList<>();
        linear(t, "mm.0", w, s.projectorHidden());
        linear(t, "mm.2", s.projectorHidden(), text);
        t.add(new Spec("v.class_embd", false, Fill.EMBEDDING, w));
        // conv2d kernel [kw, kh, in channels, out channels]; ggml's im2col path wants it F16
        t.add(new Spec("v.patch_embd.weight", true, Fill.WEIGHT, s.patchSize(), s.patchSize(), 3, w));
        t.add(new Spec("v.position_embd.weight", true, Fill.EMBEDDING, w, s.imageTokens() + 1)); // + class token
        norm(t, "v.pre_ln", w);
        for (int i = 0; i < s.layers(); i++) {
            String b = "v.blk." + i + ".";
            linear(t, b + "attn_k", w, w);
            linear(t, b + "attn_q", w, w);
            linear(t, b + "attn_v", w, w);
            linear(t, b + "attn_out", w, w);
            norm(t, b + "ln1", w);
            linear(t, b + "ffn_down", w, s.feedForward());  // fc1 under the converter's legacy name
            linear(t, b + "ffn_up", s.feedForward(), w);    // fc2
            norm(t, b + "ln2", w);
        }
        return t;
    }

    private static void linear(List<Spec> t, String name, long in, long out) {
        t.add(new Spec(name + ".weight", true, Fill.WEIGHT, in, out));
        t.add(new Spec(name + ".bias", false, Fill.BIAS, out));
    }

    private static void norm(List<Spec> t, String name, long width) {
        t.add(new Spec(name + ".weight", false, Fill.ONES, width));
        t.add(new Spec(name + ".bias", false, Fill.ZEROS, width));
    }

    /** Room for every tensor's header and data, each aligned. */
    private static long memSize(List<Spec> specs) {
        long size = 0;
        for (Spec spec : specs) {
            size += ggml_h.ggml_tensor_overhead() + spec.count() * (spec.f16() ? 2 : 4) + 64;
        }
        return size;
    }

    /**
     * Weights N(0, 1/fan-in), so activations stay of order 1 at any width; embeddings and biases
     * small; norms 1 and 0. One generator per tensor, seeded from its name, so a tensor's values do
     * not depend on which others the shape has.
     */
    private static void fill(MemorySegment tensor, Spec spec, long seed) {
        long count = spec.count();
        MemorySegment values = ggml_h.ggml_get_data(tensor).reinterpret(ggml_h.ggml_nbytes(tensor));
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + spec.name().hashCode());
        double sigma = switch (spec.fill()) {
            case WEIGHT -> 1 / Math.sqrt(spec.fanIn());
            case EMBEDDING -> EMBEDDING_STDDEV;
            case BIAS -> BIAS_STDDEV;
            case ONES, ZEROS -> 0;
        };
        float constant = spec.fill() == Fill.ONES ? 1f : 0f;
        for (long i = 0; i < count; i++) {
            float v = sigma > 0 ? (float) (random.nextGaussian() * sigma) : constant;
            if (spec.f16()) {
                values.setAtIndex(ValueLayout.JAVA_SHORT, i, Float.floatToFloat16(v));
            } else {
                values.setAtIndex(ValueLayout.JAVA_FLOAT, i, v);
            }
        }
    }
}
