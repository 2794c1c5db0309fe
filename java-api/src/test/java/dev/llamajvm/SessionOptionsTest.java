package dev.llamajvm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** What the default context size becomes for models of different trained lengths. */
class SessionOptionsTest {

    private static int autoContextFor(int trained) {
        return SessionOptions.defaults().forModel(trained).contextSize();
    }

    @Test
    void theDefaultContextIsTheSmallerOf4096AndTheTrainedLength() {
        assertEquals(SessionOptions.AUTO_CONTEXT, SessionOptions.defaults().contextSize());
        assertEquals(4096, autoContextFor(131_072));
        assertEquals(2048, autoContextFor(2048));
        assertEquals(4096, autoContextFor(0), "an unknown trained length");
    }

    @Test
    void theDefaultContextStaysWithinTheTrainedLengthDespiteLlamaCppsPadding() {
        assertEquals(768, autoContextFor(1000)); // llama.cpp would pad 1000 up to 1024, past 1000
        assertEquals(100, autoContextFor(100)); // below one padding step nothing smaller helps
    }

    @Test
    void aSizeTheCallerChoseIsKept() {
        assertEquals(8192, SessionOptions.defaults().contextSize(8192).forModel(2048).contextSize());
        assertEquals(0, SessionOptions.defaults().contextSize(0).forModel(2048).contextSize());
        assertThrows(IllegalArgumentException.class, () -> SessionOptions.defaults().contextSize(-2));
    }
}
