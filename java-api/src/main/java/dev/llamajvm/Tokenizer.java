package dev.llamajvm;

import dev.llamajvm.internal.engine.NativeModel;

import java.nio.charset.StandardCharsets;

/**
 * A model's tokenizer: llama.cpp's own, so ids match llama.cpp exactly. Thread-safe; valid while
 * its model is open.
 */
public final class Tokenizer {

    private final LlamaModel model;
    private final NativeModel nativeModel;

    Tokenizer(LlamaModel model, NativeModel nativeModel) {
        this.model = model;
        this.nativeModel = nativeModel;
    }

    /** Tokenizes with the model's start token (BOS) if it uses one; special-token text stays text. */
    public int[] tokenize(String text) {
        return tokenize(text, true, false);
    }

    /**
     * @param addSpecial   add the model's BOS/EOS tokens as it is configured to
     * @param parseSpecial read special-token text such as {@code <|eot_id|>} as those tokens
     */
    public int[] tokenize(String text, boolean addSpecial, boolean parseSpecial) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        return model.use(() -> nativeModel.tokenize(utf8, addSpecial, parseSpecial));
    }

    /** The text of tokens, special tokens left out. */
    public String detokenize(int[] tokens) {
        return detokenize(tokens, false, false);
    }

    /**
     * @param removeSpecial  drop a leading BOS / trailing EOS if the model adds them
     * @param unparseSpecial render special tokens as their text
     */
    public String detokenize(int[] tokens, boolean removeSpecial, boolean unparseSpecial) {
        return new String(model.use(() -> nativeModel.detokenize(tokens, removeSpecial, unparseSpecial)),
                StandardCharsets.UTF_8);
    }

    /** The UTF-8 bytes of one token, which may be part of a character. */
    public byte[] tokenBytes(int token) {
        return model.use(() -> nativeModel.tokenBytes(token, true));
    }

    /** One token's text; a token holding part of a character shows U+FFFD for it. */
    public String piece(int token) {
        return new String(tokenBytes(token), StandardCharsets.UTF_8);
    }
}
