package dev.llamajvm;

import dev.llamajvm.internal.engine.ModelFileCheck;
import dev.llamajvm.testing.ByteMutation;
import dev.llamajvm.testing.CorruptGguf;
import dev.llamajvm.testing.GgufEdit;
import dev.llamajvm.testing.TestEnvironment;
import dev.llamajvm.testing.TinyLlama3;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files the pinned llama.cpp aborts the process on (GGML_ASSERT, GGML_ABORT) instead of reporting an
 * error: each is refused up front with a {@link ModelLoadException} naming the key, for a full and a
 * vocabulary-only load; with the check turned off, each kills a child JVM, which proves the file
 * really is one llama.cpp aborts on and that {@link ModelOptions#verifyInChildProcess} reports it.
 */
class ModelFileCheckTest {

    @TempDir
    static Path dir;
    private static Path stories;
    private static byte[] storiesBytes;

    @BeforeAll
    static void read() throws IOException {
        stories = TestEnvironment.sharedModel("stories260K.gguf");
        storiesBytes = Files.readAllBytes(stories);
    }

    /** stories260K made into a file llama.cpp aborts on, and the key the refusal names. */
    enum Abort {
        /** Issue 12's repro: token 0x34 becomes 0x41, so two tokens read "A". */
        DUPLICATE_TOKEN_TEXT("tokenizer.ggml.tokens", file -> ByteMutation.of(1166, 0x41).writeTo(storiesBytes, file)),
        BLOCK_COUNT_0("llama.block_count", file -> GgufEdit.of(stories).uint32("llama.block_count", 0).writeTo(file)),
        BLOCK_COUNT_2_POW_31("llama.block_count", file -> GgufEdit.of(stories).uint32("llama.block_count", 1L << 31).writeTo(file)),
        /** One more than LLAMA_MAX_LAYERS. */
        BLOCK_COUNT_513("llama.block_count", file -> GgufEdit.of(stories).uint32("llama.block_count", 513).writeTo(file)),
        NEXTN_LAYERS_ABOVE_BLOCK_COUNT("llama.nextn_predict_layers",
                file -> GgufEdit.of(stories).uint32("llama.nextn_predict_layers", 6).writeTo(file)),
        EXPERTS_USED_WITHOUT_EXPERTS("llama.expert_used_count",
                file -> GgufEdit.of(stories).uint32("llama.expert_used_count", 2).writeTo(file)),
        EXPERTS_ABOVE_MAX("llama.expert_count", file -> GgufEdit.of(stories)
                .uint32("llama.expert_count", 1025).uint32("llama.expert_used_count", 1).writeTo(file)),
        NO_EXPERT_USED("llama.expert_used_count", file -> GgufEdit.of(stories)
                .uint32("llama.expert_count", 8).uint32("llama.expert_used_count", 0).writeTo(file)),
        EXPERT_GROUPS_NOT_DIVIDING("llama.expert_group_count", file -> GgufEdit.of(stories)
                .uint32("llama.expert_count", 8).uint32("llama.expert_used_count", 2).uint32("llama.expert_group_count", 3)
                .writeTo(file)),
        UNKNOWN_ROPE_SCALING("llama.rope.scaling.type",
                file -> GgufEdit.of(stories).string("llama.rope.scaling.type", "sideways").writeTo(file)),
        BYTE_TOKEN_IN_WORDPIECE_VOCABULARY("tokenizer.ggml.token_type[300]", file -> {
            int[] types = new int[512];
            java.util.Arrays.fill(types, 1);
            types[300] = 6;
            return GgufEdit.of(stories).string("tokenizer.ggml.model", "bert").int32Array("tokenizer.ggml.token_type", types)
                    .writeTo(file);
        });

        final String key;
        private final Function<Path, Path> maker;

        Abort(String key, Function<Path, Path> maker) {
            this.key = key;
            this.maker = maker;
        }

        Path file() {
            Path file = dir.resolve(name().toLowerCase() + ".gguf");
            return Files.exists(file) ? file : maker.apply(file);
        }
    }

    @ParameterizedTest
    @EnumSource(Abort.class)
    void refusedUpFrontNamingTheKey(Abort abort) {
        Path file = abort.file();
        for (ModelOptions options : new ModelOptions[] {ModelOptions.defaults(), ModelOptions.defaults().vocabOnly(true)}) {
            ModelLoadException e = assertThrows(ModelLoadException.class, () -> LlamaModel.load(file, options).close());
            assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
            assertTrue(e.getMessage().contains(abort.key + " = "), "names " + abort.key + " and its value: " + e.getMessage());
            assertTrue(e.getMessage().contains("abort"), e.getMessage());
        }
    }

    /**
     * Without the check, llama.cpp aborts: the child JVM of verifyInChildProcess dies of SIGABRT,
     * and the load reports that with the assert's message, without loading the file here.
     */
    @ParameterizedTest
    @EnumSource(Abort.class)
    void withoutTheCheckTheFileKillsTheVerifyingChild(Abort abort) {
        Path file = abort.file();
        ModelLoadException e = withoutFileCheck(() -> assertThrows(ModelLoadException.class,
                () -> LlamaModel.load(file, ModelOptions.defaults().verifyInChildProcess(true)).close()));
        assertTrue(e.getMessage().contains("killed the child JVM") && e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("exit status 134, signal 6"), "SIGABRT: " + e.getMessage());
        assertTrue(e.nativeLog().stream().anyMatch(line -> line.contains("GGML_ASSERT") || line.contains("GGML_ABORT")
                || line.contains("fatal error")), "the child's output ends with the assert: " + e.nativeLog());
    }

    private static <T> T withoutFileCheck(java.util.function.Supplier<T> call) {
        System.setProperty(ModelFileCheck.SKIP_PROPERTY, "true");
        try {
            return call.get();
        } finally {
            System.clearProperty(ModelFileCheck.SKIP_PROPERTY);
        }
    }

    @Test
    void goodModelsVerifiedInAChildLoadHere() {
        for (Path file : new Path[] {stories, TinyLlama3.path(TinyLlama3.SEED)}) {
            try (LlamaModel model = LlamaModel.load(file, ModelOptions.defaults().verifyInChildProcess(true));
                 Session session = model.newSession(SessionOptions.defaults().contextSize(64).threads(2))) {
                assertEquals(3, session.complete("Once upon a time",
                        GenerateOptions.defaults().maxTokens(3).ignoreEos(true)).generatedTokens());
            }
        }
    }

    /** A file llama.cpp refuses with an error does not kill the child: this JVM then reports llama.cpp's reason. */
    @Test
    void aFileLlamaCppRefusesGetsItsOwnReasonAfterVerification() {
        Path file = CorruptGguf.TENSORS_BAD_SHAPE.writeTo(dir);
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> LlamaModel.load(file, ModelOptions.defaults().verifyInChildProcess(true)).close());
        assertTrue(e.getMessage().contains("llama.cpp could not load"), e.getMessage());
        assertTrue(e.nativeLog().stream().anyMatch(line -> line.startsWith("error: ")), e.nativeLog().toString());
    }
}
