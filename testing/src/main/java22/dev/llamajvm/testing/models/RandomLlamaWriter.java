package dev.llamajvm.testing.models;

import dev.llamajvm.bindings.NativeLookup;
import dev.llamajvm.bindings.ggml_backend_h;
import dev.llamajvm.bindings.ggml_h;
import dev.llamajvm.bindings.ggml_tensor;
import dev.llamajvm.bindings.gguf_h;
import dev.llamajvm.bindings.gguf_init_params;
import dev.llamajvm.bindings.llama_h;
import dev.llamajvm.bindings.llama_model_params;
import dev.llamajvm.bindings.llama_model_set_tensor_data_t;
import dev.llamajvm.bindings.llama_progress_callback;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import dev.llamajvm.testing.models.RandomLlama.Architecture;
import dev.llamajvm.testing.models.RandomLlama.Shape;
import dev.llamajvm.testing.models.RandomLlama.WeightType;

/** Writes {@link RandomLlama}'s models through llama.cpp's Panama bindings (Java 22+). */
final class RandomLlamaWriter {

    private RandomLlamaWriter() {}

    /** See {@link RandomLlama#make(Architecture, Shape, long, Path, String, Path)}. */
    public static void make(Architecture architecture, Shape shape, long seed, Path vocabGguf, String chatTemplate,
                            Path target) throws IOException {
        NativeLookup.lookup(); // loads the natives (through the llama-jvm loader on the class path)
        Path raw = target.resolveSibling(target.getFileName() + ".saved");
        MemorySegment meta = MemorySegment.NULL;
        try (Arena arena = Arena.ofConfined()) {
            meta = metadata(architecture, shape, seed, vocabGguf, chatTemplate, arena);

            Filler filler = new Filler(seed, shape.stddev());
            MemorySegment params = llama_h.llama_model_default_params(arena);
            llama_model_params.n_gpu_layers(params, 0);   // the saver reads tensor data from host memory
            llama_model_params.progress_callback(params, llama_progress_callback.allocate((p, ud) -> true, arena));
            MemorySegment callback = llama_model_set_tensor_data_t.allocate(filler::fill, arena);
            MemorySegment metadata = meta;
            MemorySegment made = llama_h.llama_model_init_from_user(metadata, callback, MemorySegment.NULL, params);
            if (filler.failure != null) {
                if (!made.equals(MemorySegment.NULL)) {
                    llama_h.llama_model_free(made);
                }
                throw new IllegalStateException("filling a tensor failed", filler.failure);
            }
            if (made.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("llama_model_init_from_user refused the metadata (its reason is in"
                        + " the log of dev.llamajvm.llama)");
            }
            try {
                llama_h.llama_model_save_to_file(made, arena.allocateFrom(raw.toString()));
            } finally {
                llama_h.llama_model_free(made);
            }
            rewrite(raw, meta, shape, target, arena);
        } finally {
            if (!meta.equals(MemorySegment.NULL)) {
                gguf_h.gguf_free(meta);
            }
            Files.deleteIfExists(raw);
        }
    }

    /**
     * The model's metadata: general.*, the architecture's keys, the vocabulary's tokenizer.*, the
     * chat template, and the weight types.
     */
    private static MemorySegment metadata(Architecture architecture, Shape shape, long seed, Path vocabGguf,
                                          String chatTemplate, Arena arena) {
        MemorySegment meta = gguf_h.gguf_init_empty();
        try {
            fillMetadata(meta, architecture, shape, seed, vocabGguf, chatTemplate, arena);
            return meta;
        } catch (RuntimeException | Error e) {
            gguf_h.gguf_free(meta);
            throw e;
        }
    }

    private static void fillMetadata(MemorySegment meta, Architecture architecture, Shape shape, long seed,
                                     Path vocabGguf, String chatTemplate, Arena arena) {
        GgufKeys kv = new GgufKeys(meta, arena);
        String arch = architecture.key();
        kv.str("general.architecture", arch);
        kv.str("general.type", "model");
        kv.str("general.name", "RandomLlama " + arch + " " + shape.layers() + "x" + shape.embedding() + " seed " + seed);
        kv.u32("general.file_type", shape.weightType() == WeightType.F16 ? llama_h.LLAMA_FTYPE_MOSTLY_F16()
                : llama_h.LLAMA_FTYPE_ALL_F32());
        kv.u32(arch + ".block_count", shape.layers());
        kv.u32(arch + ".context_length", shape.contextLength());
        kv.u32(arch + ".embedding_length", shape.embedding());
        kv.u32(arch + ".feed_forward_length", shape.feedForward());
        kv.u32(arch + ".attention.head_count", shape.heads());
        kv.u32(arch + ".attention.head_count_kv", shape.kvHeads());
        kv.f32(arch + ".rope.freq_base", shape.ropeFreqBase());
        kv.f32(arch + ".attention.layer_norm_rms_epsilon", shape.rmsEpsilon());
        kv.u32(arch + ".rope.dimension_count", shape.headSize());
        if (architecture == Architecture.QWEN2VL) {
            // Qwen2-VL's split of the head's rotary pairs: a quarter temporal, the rest over height
            // and width, none in the fourth section (as its 128-wide heads have 16, 24, 24, 0).
            int pairs = shape.headSize() / 2;
            int temporal = pairs / 4;
            int height = (pairs - temporal) / 2;
            kv.i32s(arch + ".rope.dimension_sections", new int[] {temporal, height, pairs - temporal - height, 0});
        }

        // Every tokenizer.* key of the vocabulary file, whatever its type: gguf_set_kv copies a
        // whole context, so copy all into a scratch context, drop the rest, then copy that.
        MemorySegment init = gguf_init_params.allocate(arena);
        gguf_init_params.no_alloc(init, true);
        gguf_init_params.ctx(init, MemorySegment.NULL);
        MemorySegment vocab = gguf_h.gguf_init_from_file(arena.allocateFrom(vocabGguf.toString()), init);
        if (vocab.equals(MemorySegment.NULL)) {
            throw new IllegalStateException("cannot read " + vocabGguf);
        }
        MemorySegment scratch = gguf_h.gguf_init_empty();
        try {
            gguf_h.gguf_set_kv(scratch, vocab);
            for (long i = gguf_h.gguf_get_n_kv(scratch) - 1; i >= 0; i--) {
                MemorySegment name = gguf_h.gguf_get_key(scratch, i);
                if (!cString(name).startsWith("tokenizer.")) {
                    gguf_h.gguf_remove_key(scratch, name);
                }
            }
            gguf_h.gguf_set_kv(meta, scratch);
        } finally {
            gguf_h.gguf_free(scratch);
            gguf_h.gguf_free(vocab);
        }
        long tokens = gguf_h.gguf_find_key(meta, arena.allocateFrom("tokenizer.ggml.tokens"));
        if (tokens < 0) {
            throw new IllegalStateException(vocabGguf + " has no tokenizer.ggml.tokens");
        }
        int vocabSize = Math.toIntExact(gguf_h.gguf_get_arr_n(meta, tokens));
        kv.u32(arch + ".vocab_size", vocabSize);
        if (chatTemplate != null) {
            kv.str("tokenizer.chat_template", chatTemplate);
        }

        // init_from_user makes every tensor F32 unless the metadata lists it with another type.
        if (shape.weightType() == WeightType.F16) {
            for (String name : matrices(shape)) {
                MemorySegment t = ggml_tensor.allocate(arena);   // zeroed: only name and type matter
                ggml_tensor.type(t, ggml_h.GGML_TYPE_F16());
                ggml_h.ggml_set_name(t, arena.allocateFrom(name));
                gguf_h.gguf_add_tensor(meta, t);
            }
        }
    }

    /** The weight matrices of the llama architecture (src/models/llama.cpp), output.weight included. */
    private static List<String> matrices(Shape shape) {
        List<String> names = new ArrayList<>(List.of("token_embd.weight", "output.weight"));
        for (int i = 0; i < shape.layers(); i++) {
            for (String m : List.of("attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_down", "ffn_up")) {
                names.add("blk." + i + "." + m + ".weight");
            }
        }
        return names;
    }

    /** The tensors a converted Llama 3 file has: the matrices, the norms, output.weight unless tied. */
    private static Set<String> fileTensors(Shape shape) {
        Set<String> names = new LinkedHashSet<>(matrices(shape));
        if (shape.tiedOutput()) {
            names.remove("output.weight");
        }
        names.add("output_norm.weight");
        for (int i = 0; i < shape.layers(); i++) {
            names.add("blk." + i + ".attn_norm.weight");
            names.add("blk." + i + ".ffn_norm.weight");
        }
        return names;
    }

    /**
     * Writes {@code target}: our metadata, then those of the saved file's tensors (in its order)
     * that a converted Llama 3 file has.
     */
    private static void rewrite(Path saved, MemorySegment meta, Shape shape, Path target, Arena arena) throws IOException {
        MemorySegment ctxOut = arena.allocate(ValueLayout.ADDRESS);
        MemorySegment init = gguf_init_params.allocate(arena);
        gguf_init_params.no_alloc(init, false);
        gguf_init_params.ctx(init, ctxOut);
        MemorySegment file = gguf_h.gguf_init_from_file(arena.allocateFrom(saved.toString()), init);
        if (file.equals(MemorySegment.NULL)) {
            throw new IOException("cannot read back what llama_model_save_to_file wrote: " + saved);
        }
        MemorySegment data = ctxOut.get(ValueLayout.ADDRESS, 0);
        MemorySegment out = gguf_h.gguf_init_empty();
        try {
            gguf_h.gguf_set_kv(out, meta);
            Set<String> wanted = fileTensors(shape);
            long n = gguf_h.gguf_get_n_tensors(file);
            for (long i = 0; i < n; i++) {
                MemorySegment name = gguf_h.gguf_get_tensor_name(file, i);
                if (wanted.remove(cString(name))) {
                    gguf_h.gguf_add_tensor(out, ggml_h.ggml_get_tensor(data, name));
                }
            }
            if (!wanted.isEmpty()) {
                throw new IllegalStateException("llama.cpp made no " + wanted);
            }
            if (!gguf_h.gguf_write_to_file(out, arena.allocateFrom(target.toString()), false)) {
                throw new IOException("gguf_write_to_file failed for " + target);
            }
        } finally {
            gguf_h.gguf_free(out);
            gguf_h.gguf_free(file);
            ggml_h.ggml_free(data);
        }
    }

    /**
     * Fills each tensor llama.cpp hands over: norms, scales and rope factors 1, biases 0, the
     * matrices N(0, stddev) with stddev 1/sqrt(fan-in) unless given.
     */
    private static final class Filler {
        private final long seed;
        private final float stddev;
        volatile Throwable failure;

        Filler(long seed, float stddev) {
            this.seed = seed;
            this.stddev = stddev;
        }

        /** The upcall: must never throw into llama.cpp, so a failure is kept and reported after. */
        void fill(MemorySegment tensor, MemorySegment userdata) {
            if (failure != null) {
                return;
            }
            try {
                String name = cString(ggml_h.ggml_get_name(tensor));
                MemorySegment t = tensor.reinterpret(ggml_tensor.sizeof());
                int type = ggml_tensor.type(t);
                long count = ggml_h.ggml_nelements(tensor);
                long bytes = ggml_h.ggml_nbytes(tensor);
                boolean f16 = type == ggml_h.GGML_TYPE_F16();
                if (!f16 && type != ggml_h.GGML_TYPE_F32()) {
                    throw new IllegalStateException(name + " has type " + type + ", expected F32 or F16");
                }
                // One generator per tensor, seeded from its name: independent of the order llama.cpp uses.
                Random random = new Random(seed * 0x9E3779B97F4A7C15L + name.hashCode());
                boolean ones = name.endsWith("norm.weight") || name.endsWith(".scale")
                        || name.endsWith(".input_scale") || name.equals("rope_freqs.weight");
                boolean zeros = name.endsWith(".bias");
                double sigma = stddev > 0 ? stddev : 1 / Math.sqrt(ggml_tensor.ne(t, 0));
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment values = arena.allocate(bytes, 8);
                    for (long i = 0; i < count; i++) {
                        float v = ones ? 1f : zeros ? 0f : (float) (random.nextGaussian() * sigma);
                        if (f16) {
                            values.setAtIndex(ValueLayout.JAVA_SHORT, i, Float.floatToFloat16(v));
                        } else {
                            values.setAtIndex(ValueLayout.JAVA_FLOAT, i, v);
                        }
                    }
                    ggml_backend_h.ggml_backend_tensor_set(tensor, values, 0, bytes);
                }
            } catch (Throwable e) {
                failure = e;
            }
        }
    }

    private static String cString(MemorySegment pointer) {
        return pointer.reinterpret(Long.MAX_VALUE).getString(0);
    }

}
