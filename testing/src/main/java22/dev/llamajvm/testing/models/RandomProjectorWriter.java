package dev.llamajvm.testing.models;

import dev.llamajvm.bindings.NativeLookup;
import dev.llamajvm.bindings.ggml_h;
import dev.llamajvm.bindings.ggml_init_params;
import dev.llamajvm.bindings.gguf_h;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.llamajvm.testing.models.RandomProjector.Family;
import dev.llamajvm.testing.models.RandomProjector.Shape;

/** Writes {@link RandomProjector}'s projectors through the Panama bindings (Java 22+). */
final class RandomProjectorWriter {

    private RandomProjectorWriter() {}

    /** OpenAI CLIP's normalisation, which LLaVA 1.5's files carry. */
    private static final float[] IMAGE_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] IMAGE_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    /**
     * Scale of the class and position embeddings: small next to the patch embeddings (of order 1),
     * so the picture, not the position, dominates what the encoder sees.
     */
    private static final double EMBEDDING_STDDEV = 0.1;

    /** Scale of every bias: small, but not zero, so the adds are exercised. */
    private static final double BIAS_STDDEV = 0.02;


    /** See {@link RandomProjector#make}. */
    public static void make(Family family, Shape shape, int textEmbedding, long seed, Path target) throws IOException {
        NativeLookup.lookup(); // loads the natives (through the llama-jvm loader on the class path)
        List<Spec> specs = family == Family.MLP ? mlpTensors(shape, textEmbedding) : qwen2vlTensors(shape, textEmbedding);
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
                metadata(new GgufKeys(gguf, arena), family, shape, textEmbedding, seed);
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

    /** The keys libmtmd reads for a projector, as the family's converter names them. */
    private static void metadata(GgufKeys kv, Family family, Shape shape, int textEmbedding, long seed) {
        kv.str("general.architecture", "clip");
        kv.str("general.name", "RandomProjector " + family.projectorType + " " + shape.layers() + "x" + shape.width()
                + " seed " + seed);
        kv.u32("general.file_type", 1);   // mostly F16
        kv.bool("clip.has_text_encoder", false);
        kv.bool("clip.has_vision_encoder", true);
        if (family == Family.MLP) {
            kv.str("general.description", "image encoder for LLaVA");
            kv.bool("clip.has_llava_projector", true);
        } else {
            kv.u32("clip.vision.spatial_merge_size", 2);
        }
        kv.str("clip.projector_type", family.projectorType);
        kv.bool("clip.use_gelu", false);  // quick GELU in the encoder (CLIP's, Qwen2-VL's); the projector always uses GELU
        kv.u32("clip.vision.image_size", shape.imageSize());
        kv.u32("clip.vision.patch_size", shape.patchSize());
        kv.u32("clip.vision.embedding_length", shape.width());
        kv.u32("clip.vision.feed_forward_length", shape.feedForward());
        kv.u32("clip.vision.projection_dim", textEmbedding);  // required but unused by these projectors
        kv.u32("clip.vision.attention.head_count", shape.heads());
        kv.f32("clip.vision.attention.layer_norm_epsilon", family.layerNormEpsilon);
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
    private static List<Spec> mlpTensors(Shape s, int text) {
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
            attention(t, b, w);
            linear(t, b + "ffn_down", w, s.feedForward());  // fc1 under the converter's legacy name
            linear(t, b + "ffn_up", s.feedForward(), w);    // fc2
            norm(t, b + "ln2", w);
        }
        return t;
    }

    /**
     * The tensors of a converted Qwen2-VL projector: the two temporal halves of the patch kernel,
     * blocks with modern FFN names ({@code ffn_up} is fc1), the merger's norm and MLP, whose input
     * is four neighbouring patches side by side.
     */
    private static List<Spec> qwen2vlTensors(Shape s, int text) {
        int w = s.width();
        List<Spec> t = new ArrayList<>();
        t.add(new Spec("v.patch_embd.weight", true, Fill.WEIGHT, s.patchSize(), s.patchSize(), 3, w));
        t.add(new Spec("v.patch_embd.weight.1", true, Fill.WEIGHT, s.patchSize(), s.patchSize(), 3, w));
        for (int i = 0; i < s.layers(); i++) {
            String b = "v.blk." + i + ".";
            attention(t, b, w);
            linear(t, b + "ffn_up", w, s.feedForward());
            linear(t, b + "ffn_down", s.feedForward(), w);
            norm(t, b + "ln2", w);
        }
        norm(t, "v.post_ln", w);
        linear(t, "mm.0", 4L * w, s.projectorHidden());
        linear(t, "mm.2", s.projectorHidden(), text);
        return t;
    }

    /** An encoder block's attention (with biases) and the norm before it, as both families name them. */
    private static void attention(List<Spec> t, String block, long width) {
        for (String m : List.of("attn_q", "attn_k", "attn_v", "attn_out")) {
            linear(t, block + m, width, width);
        }
        norm(t, block + "ln1", width);
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
