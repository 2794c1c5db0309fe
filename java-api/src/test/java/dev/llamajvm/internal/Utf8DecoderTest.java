package dev.llamajvm.internal;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class Utf8DecoderTest {

    @Test
    void charactersSplitAcrossPiecesComeOutWhole() {
        byte[] text = "a€😀中b".getBytes(StandardCharsets.UTF_8);
        // Feed one byte at a time: every multi-byte character arrives in pieces.
        Utf8Decoder decoder = new Utf8Decoder();
        StringBuilder out = new StringBuilder();
        for (byte b : text) {
            String piece = decoder.decode(new byte[] {b});
            assertFalse(piece.contains("\uFFFD"), "no replacement character mid-stream");
            out.append(piece);
        }
        out.append(decoder.finish());
        assertEquals("a€😀中b", out.toString());
    }

    @Test
    void anUnfinishedCharacterAtTheEndBecomesAReplacement() {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        Utf8Decoder decoder = new Utf8Decoder();
        assertEquals("x", decoder.decode(new byte[] {'x', euro[0], euro[1]}));
        assertEquals("\uFFFD", decoder.finish());
    }

    @Test
    void invalidBytesBecomeReplacementsAndDecodingGoesOn() {
        Utf8Decoder decoder = new Utf8Decoder();
        assertEquals("a\uFFFDb", decoder.decode(new byte[] {'a', (byte) 0xFF, 'b'}));
    }

    @Test
    void longPiecesGrowTheBuffers() {
        byte[] big = new byte[10_000];
        Arrays.fill(big, (byte) 'z');
        assertEquals(10_000, new Utf8Decoder().decode(big).length());
    }
}
