package dev.llamajvm.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns token bytes into text without ever splitting a character: a token may end in the middle
 * of a multi-byte UTF-8 sequence, whose rest comes with the next token. Bytes that can never form
 * a character become U+FFFD. One instance per generation; not thread-safe.
 */
public final class Utf8Decoder {

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer pending = ByteBuffer.allocate(64);
    private CharBuffer chars = CharBuffer.allocate(64);

    /** The complete characters the bytes finish; an unfinished one waits for more bytes. */
    public String decode(byte[] bytes) {
        ensureRoom(bytes.length);
        pending.put(bytes).flip();
        decoder.decode(pending, chars, false);
        pending.compact();
        return drain();
    }

    /** Whatever is left, with an unfinished character as U+FFFD. */
    public String finish() {
        pending.flip();
        decoder.decode(pending, chars, true);
        decoder.flush(chars);
        pending.clear();
        decoder.reset();
        return drain();
    }

    private String drain() {
        chars.flip();
        String text = chars.toString();
        chars.clear();
        return text;
    }

    private void ensureRoom(int more) {
        if (pending.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(pending.position() + more + 64);
            pending.flip();
            bigger.put(pending);
            pending = bigger;
        }
        // Each byte decodes to at most one char (a 4-byte sequence to two chars).
        int need = pending.position() + more + 2;
        if (chars.capacity() < need) {
            chars = CharBuffer.allocate(need);
        }
    }
}
