package dev.llamajvm.internal.engine;

import dev.llamajvm.LlamaException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContextLimitTest {

    @Test
    void upToTheLimitPasses() {
        assertDoesNotThrow(() -> ContextLimit.check(ContextLimit.MAX_TOKENS, 0));
        assertDoesNotThrow(() -> ContextLimit.check(4096, Integer.MAX_VALUE)); // the trained length is not used
        assertDoesNotThrow(() -> ContextLimit.check(0, 131072));
    }

    @Test
    void pastTheLimitIsRefusedWithTheBookkeepingItWouldCost() {
        LlamaException e = assertThrows(LlamaException.class, () -> ContextLimit.check(Integer.MAX_VALUE, 4096));
        assertTrue(e.getMessage().contains("its bookkeeping alone would take 96.0 GiB"), e.getMessage());
        assertThrows(LlamaException.class, () -> ContextLimit.check(ContextLimit.MAX_TOKENS + 1, 0));
    }

    @Test
    void aTrainedLengthIsReadUnsigned() {
        // llama_model_n_ctx_train is an int32 view of a uint32: 2^32 - 1 reads as -1.
        LlamaException e = assertThrows(LlamaException.class, () -> ContextLimit.check(0, -1));
        assertTrue(e.getMessage().contains("4294967295 tokens (the model's trained length"), e.getMessage());
    }
}
