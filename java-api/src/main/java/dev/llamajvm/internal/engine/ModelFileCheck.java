package dev.llamajvm.internal.engine;

import dev.llamajvm.ModelLoadException;
import dev.llamajvm.internal.engine.GgufMetadata.Type;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Refuses the GGUF files that the pinned llama.cpp would not reject with an error while loading but
 * abort the whole process on (GGML_ASSERT, GGML_ABORT). Each rule names the assert it keeps out of
 * reach. Nothing else is checked: what llama.cpp rejects itself (missing keys, keys of the wrong
 * type, per-layer arrays of the wrong length, tensor shapes that do not fit the hyperparameters) is
 * left to it, so its messages stay the same, and a value llama.cpp would refuse for its type is
 * skipped here. A file is checked whole, also for a vocabulary-only load: a file the full load
 * would abort on is corrupt either way.
 *
 * <p>Covered: the asserts of the shared load path (llama_model_base::load_hparams, the vocabulary).
 * Not covered: the asserts of single architectures' load_arch_hparams (src/models/*.cpp, about a
 * dozen, e.g. nanbeige's loop count or gemma-embedding's dense sizes), nor asserts reached only
 * when a context is made; {@link dev.llamajvm.ModelOptions#verifyInChildProcess} is for those.
 */
public final class ModelFileCheck {

    /**
     * Internal system property, for tests of {@link dev.llamajvm.ModelOptions#verifyInChildProcess}
     * only: {@code true} turns the check off, so that a known bad file crashes a child JVM again.
     */
    public static final String SKIP_PROPERTY = "llama.jvm.internal.skipModelFileCheck";

    /** LLAMA_MAX_LAYERS and LLAMA_MAX_EXPERTS in src/llama-hparams.h. */
    static final long MAX_LAYERS = 512, MAX_EXPERTS = 1024;

    /** The names llama-model.cpp's LLAMA_ROPE_SCALING_TYPES knows. */
    private static final List<String> ROPE_SCALING_TYPES = List.of("none", "linear", "yarn", "longrope");
    /** Architectures whose rope is always multimodal (llama.cpp's MROPE and IMROPE types). */
    private static final Set<String> MULTIMODAL_ROPE = Set.of("qwen2vl.", "qwen3vl.", "qwen3vlmoe.");
    private static final Set<GgufMetadata.Type> INTEGER_ARRAYS = Set.of(GgufMetadata.Type.INT32, GgufMetadata.Type.UINT32);

    /** LLAMA_TOKEN_TYPE_BYTE in include/llama.h. */
    private static final long TOKEN_TYPE_BYTE = 6;

    private static final String TOKENIZER = "tokenizer.ggml.model", TOKENS = "tokenizer.ggml.tokens",
            TOKEN_TYPES = "tokenizer.ggml.token_type";

    private final Path file;
    private final GgufMetadata gguf;

    private ModelFileCheck(Path file, GgufMetadata gguf) {
        this.file = file;
        this.gguf = gguf;
    }

    /**
     * Throws a {@link ModelLoadException} naming the key and its value if llama.cpp would abort on the
     * file. {@code reader} reads its header, or returns empty if it is no GGUF file at all: llama.cpp
     * reports that itself.
     */
    public static void check(Path file, Supplier<Optional<GgufMetadata>> reader) {
        if (Boolean.getBoolean(SKIP_PROPERTY)) {
            return;
        }
        Optional<GgufMetadata> header = reader.get();
        if (header.isPresent()) {
            try (GgufMetadata gguf = header.get()) {
                new ModelFileCheck(file, gguf).run();
            }
        }
    }

    private void run() {
        String architecture = string("general.architecture");
        // llama.cpp reads no hyperparameters of a projector ("clip"), and refuses one as a model.
        if (architecture != null && !architecture.equals("clip")) {
            checkHyperparameters(architecture + ".");
        }
        checkVocabulary();
    }

    /** llama_model_base::load_hparams in src/llama-model.cpp, in its order. */
    private void checkHyperparameters(String arch) {
        OptionalLong read = uint32(arch + "block_count");
        if (read.isEmpty()) {
            return; // llama.cpp: key not found, or of the wrong type
        }
        long layers = read.getAsLong();
        // GGML_ASSERT(hparams.n_layer_all > 0 && hparams.n_layer_all <= LLAMA_MAX_LAYERS)
        require(layers >= 1 && layers <= MAX_LAYERS, arch + "block_count", layers, "is not in 1.." + MAX_LAYERS);
        // GGML_ASSERT(hparams.n_layer_nextn <= hparams.n_layer_all)
        atMost(arch + "nextn_predict_layers", layers, "the block count");
        if (arch.equals("wavtokenizer-dec.")) {
            // GGML_ASSERT(hparams.posnet.n_layer <= hparams.n_layer_all), and the same for convnext
            atMost(arch + "posnet.block_count", layers, "the block count");
            atMost(arch + "convnext.block_count", layers, "the block count");
        }
        checkExperts(arch, layers);
        checkRopeSections(arch);
        // GGML_ASSERT(hparams.rope_scaling_type_train != LLAMA_ROPE_SCALING_TYPE_UNSPECIFIED)
        String scaling = string(arch + "rope.scaling.type");
        require(scaling == null || ROPE_SCALING_TYPES.contains(scaling), arch + "rope.scaling.type",
                "\"" + scaling + "\"", "is none of " + ROPE_SCALING_TYPES);
    }

    /** The GGML_ASSERTs on n_expert, n_expert_used, n_expert_groups and n_group_used in load_hparams. */
    private void checkExperts(String arch, long layers) {
        String countKey = arch + "expert_count", usedKey = arch + "expert_used_count",
                groupsKey = arch + "expert_group_count", groupsUsedKey = arch + "expert_group_used_count";
        long experts = uint32(countKey).orElse(0);
        OptionalLong usedRead = mostExpertsUsed(usedKey, layers);
        if (usedRead.isEmpty()) {
            return; // llama.cpp throws on the key first
        }
        long used = usedRead.getAsLong();
        if ((arch.equals("hunyuan-vl.") || arch.equals("hunyuan-dense.")) && experts <= 1) {
            return; // load_hparams turns both counts to 0 for these
        }
        long groups = uint32(groupsKey).orElse(0);
        long groupsUsed = uint32(groupsUsedKey).orElse(0);
        require(experts <= MAX_EXPERTS, countKey, experts, "is more than LLAMA_MAX_EXPERTS (" + MAX_EXPERTS + ")");
        require(used <= experts, usedKey, used, "is more than the " + experts + " experts");
        if (experts > 0) {
            require(used > 0, usedKey, used, "is 0 with " + experts + " experts");
            require(groups < experts, groupsKey, groups, "is not less than the " + experts + " experts");
            if (groups > 1) {
                require(experts % groups == 0, groupsKey, groups, "does not divide the " + experts + " experts");
                require(groupsUsed > 0 && groupsUsed < groups, groupsUsedKey, groupsUsed, "is not in 1.." + (groups - 1));
            }
        } else {
            require(used == 0, usedKey, used, "is not 0 without experts");
            require(groups == 0, groupsKey, groups, "is not 0 without experts");
        }
    }

    /**
     * Multimodal rope (Qwen2-VL and the like) splits each head's rope dimensions into four sections.
     * ggml asserts, in the middle of a decode, that their sum fits the head and that one of the first
     * three is not empty; a negative one corrupts its tables. Found by fuzzing.
     */
    private void checkRopeSections(String arch) {
        String key = arch + "rope.dimension_sections";
        if (gguf.type(key) != GgufMetadata.Type.ARRAY || !INTEGER_ARRAYS.contains(gguf.arrayType(key))
                || gguf.arrayLength(key) < 4) {
            return; // llama.cpp refuses other shapes itself, or the key is absent
        }
        long[] sections = new long[4];
        for (int i = 0; i < 4; i++) {
            sections[i] = gguf.arrayInteger(key, i);
        }
        boolean used = MULTIMODAL_ROPE.contains(arch) || Arrays.stream(sections).anyMatch(v -> v != 0);
        if (!used) {
            return;
        }
        String shown = Arrays.toString(sections);
        require(Arrays.stream(sections).allMatch(v -> v >= 0), key, shown, "has a negative section");
        require(sections[0] + sections[1] + sections[2] > 0, key, shown, "has no dimensions in its first three sections");
        OptionalLong head = headSize(arch);
        long sum = Arrays.stream(sections).sum();
        if (head.isPresent()) {
            require(sum <= head.getAsLong(), key, shown, "adds up to " + sum + ", more than the "
                    + head.getAsLong() + " dimensions of an attention head");
        }
    }

    /** An attention head's size: attention.key_length, else embedding_length / head_count; empty if unknown. */
    private OptionalLong headSize(String arch) {
        OptionalLong keyLength = uint32(arch + "attention.key_length");
        if (keyLength.isPresent()) {
            return keyLength;
        }
        OptionalLong embedding = uint32(arch + "embedding_length");
        OptionalLong heads = uint32(arch + "attention.head_count");
        return embedding.isPresent() && heads.isPresent() && heads.getAsLong() > 0
                ? OptionalLong.of(embedding.getAsLong() / heads.getAsLong()) : OptionalLong.empty();
    }

    /**
     * expert_used_count is one number or one per layer (get_key_or_arr): the largest, 0 if absent,
     * empty where llama.cpp throws first (an array of another length or element type).
     */
    private OptionalLong mostExpertsUsed(String key, long layers) {
        if (gguf.type(key) != Type.ARRAY) {
            return gguf.type(key) == null ? OptionalLong.of(0) : uint32(key);
        }
        Type element = gguf.arrayType(key);
        if (gguf.arrayLength(key) != layers || !(element == Type.UINT32 || element == Type.INT32 || element == Type.BOOL)) {
            return OptionalLong.empty();
        }
        long most = 0;
        for (long i = 0; i < layers; i++) {
            // llama.cpp stores the values as uint32_t: a negative INT32 is a huge count there too.
            most = Math.max(most, gguf.arrayInteger(key, i) & 0xFFFF_FFFFL);
        }
        return OptionalLong.of(most);
    }

    /** llama_vocab::impl::load in src/llama-vocab.cpp. */
    private void checkVocabulary() {
        String tokenizer = string(TOKENIZER);
        if (tokenizer == null || tokenizer.equals("no_vocab") || tokenizer.equals("none")
                || gguf.type(TOKENS) != Type.ARRAY || gguf.arrayType(TOKENS) != Type.STRING) {
            return; // no token list is read, or llama.cpp throws first
        }
        int count = (int) Math.min(gguf.arrayLength(TOKENS), Integer.MAX_VALUE);
        // GGML_ASSERT(id_to_token.size() == token_to_id.size()): each token text must be unique. The
        // texts are C strings (cut at a NUL), and an empty one stands for "[EMPTY_<id>]".
        Map<String, Integer> ids = new HashMap<>();
        for (int id = 0; id < count; id++) {
            byte[] text = gguf.arrayString(TOKENS, id);
            String key = text.length == 0 ? "[EMPTY_" + id + "]" : new String(text, StandardCharsets.ISO_8859_1);
            Integer first = ids.putIfAbsent(key, id);
            if (first != null) {
                throw corrupt(TOKENS, "\"" + printable(key) + "\"", "at ids " + first + " and " + id
                        + " (token texts must be unique)");
            }
        }
        // A byte token in a WordPiece ("bert") vocabulary: building the token-to-piece cache reaches
        // token_to_byte's GGML_ABORT for that vocabulary type.
        if (tokenizer.equals("bert") && gguf.type(TOKEN_TYPES) == Type.ARRAY && gguf.arrayType(TOKEN_TYPES) == Type.INT32
                && gguf.arrayLength(TOKEN_TYPES) >= count) {
            for (int id = 0; id < count; id++) {
                require(gguf.arrayInteger(TOKEN_TYPES, id) != TOKEN_TYPE_BYTE, TOKEN_TYPES + "[" + id + "]",
                        TOKEN_TYPE_BYTE, "(byte) in a WordPiece vocabulary");
            }
        }
    }

    private void atMost(String key, long limit, String what) {
        OptionalLong value = uint32(key);
        if (value.isPresent()) {
            require(value.getAsLong() <= limit, key, value.getAsLong(), "is more than " + what + " (" + limit + ")");
        }
    }

    /** A UINT32 value, empty if absent or of another type (llama.cpp reads these keys as uint32_t only). */
    private OptionalLong uint32(String key) {
        return gguf.type(key) == Type.UINT32 ? OptionalLong.of(gguf.uint32(key)) : OptionalLong.empty();
    }

    private String string(String key) {
        return gguf.type(key) == Type.STRING ? gguf.string(key) : null;
    }

    private void require(boolean holds, String key, Object value, String problem) {
        if (!holds) {
            throw corrupt(key, value, problem);
        }
    }

    private ModelLoadException corrupt(String key, Object value, String problem) {
        return new ModelLoadException(file + " is corrupt: " + key + " = " + value + " " + problem
                + "; llama.cpp would abort the process on this file instead of reporting an error");
    }

    /** Token texts as they would be read as UTF-8, control characters escaped. */
    private static String printable(String latin1) {
        String text = new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> out.append(c < 0x20 || c == 0x7F ? String.format("\\x%02x", c) : Character.toString(c)));
        return out.toString();
    }
}
