package dev.llamajvm;

import dev.llamajvm.bindings.llama_context_params;
import dev.llamajvm.bindings.llama_h;
import dev.llamajvm.testing.LlamaCompletion;
import dev.llamajvm.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The whole native path through the generated bindings alone (no Java API): load the natives
 * from the natives jar, load stories260K, tokenize, decode and sample 64 tokens greedily, and get
 * exactly the token ids llama.cpp's own llama-completion (same source, --temp 0) produces.
 */
class RawBindingsParityTest {

    private static final String PROMPT = "Once upon a time";
    private static final int GENERATED = 64;

    @Test
    void greedyTokensEqualLlamaCompletion() throws Exception {
        Path model = TestEnvironment.sharedModel("stories260K.gguf");
        NativeRun ours = generateThroughBindings(model);
        LlamaCompletion.Run theirs = LlamaCompletion.run(model, PROMPT, GENERATED, "--temp", "0");

        int n = ours.prompt().size();
        assertEquals(ours.prompt(), theirs.sessionTokens().subList(0, n), "prompt tokens");
        assertEquals(GENERATED, ours.generated().size());
        assertEquals(ours.generated(), theirs.generated(n, GENERATED), "greedy token ids");
        // (llama-completion's printed text is not compared: its asynchronous log may lose the tail
        // at exit; the ids above are the parity.)
        assertFalse(ours.text().isBlank());
    }

    /** Prompt and generated token ids, and the generated text. */
    record NativeRun(List<Integer> prompt, List<Integer> generated, String text) {}


    private static NativeRun generateThroughBindings(Path modelPath) {
        try (Arena arena = Arena.ofConfined()) {
            llama_h.llama_backend_init();
            MemorySegment model = llama_h.llama_model_load_from_file(
                    arena.allocateFrom(modelPath.toString()), llama_h.llama_model_default_params(arena));
            assertNotEquals(MemorySegment.NULL, model, "llama_model_load_from_file");
            MemorySegment context = MemorySegment.NULL;
            MemorySegment sampler = MemorySegment.NULL;
            try {
                MemorySegment vocab = llama_h.llama_model_get_vocab(model);
                int[] prompt = tokenize(arena, vocab, PROMPT);

                MemorySegment params = llama_h.llama_context_default_params(arena);
                llama_context_params.n_ctx(params, 256);
                llama_context_params.n_threads(params, 2);
                llama_context_params.n_threads_batch(params, 2);
                context = llama_h.llama_init_from_model(model, params);
                assertNotEquals(MemorySegment.NULL, context, "llama_init_from_model");
                sampler = llama_h.llama_sampler_chain_init(llama_h.llama_sampler_chain_default_params(arena));
                llama_h.llama_sampler_chain_add(sampler, llama_h.llama_sampler_init_greedy());

                MemorySegment batchTokens = arena.allocateFrom(ValueLayout.JAVA_INT, prompt);
                assertEquals(0, llama_h.llama_decode(context, llama_h.llama_batch_get_one(arena, batchTokens, prompt.length)));
                List<Integer> generated = new ArrayList<>();
                StringBuilder text = new StringBuilder();
                MemorySegment next = arena.allocate(ValueLayout.JAVA_INT);
                for (int i = 0; i < GENERATED; i++) {
                    int token = llama_h.llama_sampler_sample(sampler, context, -1);
                    generated.add(token);
                    text.append(piece(arena, vocab, token));
                    next.set(ValueLayout.JAVA_INT, 0, token);
                    assertEquals(0, llama_h.llama_decode(context, llama_h.llama_batch_get_one(arena, next, 1)));
                }
                return new NativeRun(Arrays.stream(prompt).boxed().toList(), generated, text.toString());
            } finally {
                if (!sampler.equals(MemorySegment.NULL)) llama_h.llama_sampler_free(sampler);
                if (!context.equals(MemorySegment.NULL)) llama_h.llama_free(context);
                llama_h.llama_model_free(model);
            }
        }
    }

    private static int[] tokenize(Arena arena, MemorySegment vocab, String text) {
        MemorySegment utf8 = arena.allocateFrom(text);
        int length = (int) utf8.byteSize() - 1;
        int needed = -llama_h.llama_tokenize(vocab, utf8, length, MemorySegment.NULL, 0, true, false);
        MemorySegment tokens = arena.allocate(ValueLayout.JAVA_INT, needed);
        assertEquals(needed, llama_h.llama_tokenize(vocab, utf8, length, tokens, needed, true, false));
        return tokens.toArray(ValueLayout.JAVA_INT);
    }

    private static String piece(Arena arena, MemorySegment vocab, int token) {
        MemorySegment buffer = arena.allocate(64);
        int n = llama_h.llama_token_to_piece(vocab, token, buffer, (int) buffer.byteSize(), 0, false);
        return new String(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

}
