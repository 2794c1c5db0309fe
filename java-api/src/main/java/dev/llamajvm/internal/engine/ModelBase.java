package dev.llamajvm.internal.engine;

import dev.llamajvm.LlamaException;
import dev.llamajvm.Sampling;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * What both engines' models do the same way: the checks before a call reaches llama.cpp (token ids
 * in the vocabulary, a tokenizer present), the growing buffers of llama.cpp's "write into buf,
 * return the length" calls, and the end-of-generation list. An engine supplies the native calls.
 */
public abstract class ModelBase implements NativeModel {

    /** One of llama.cpp's indexed text getters, into a buffer of {@code size} bytes; null when it does not fit. */
    protected interface IndexedText {
        String at(int index, int size);
    }

    private volatile int[] endOfGeneration;

    /** Whether the vocabulary has a tokenizer (its type is not LLAMA_VOCAB_TYPE_NONE). */
    protected abstract boolean hasTokenizer();

    /** llama_tokenize through the guard into {@code out}: the count, or minus the count needed. */
    protected abstract int tokenizeInto(byte[] utf8, int[] out, boolean addSpecial, boolean parseSpecial);

    /** llama_token_to_piece of a token known to be in the vocabulary. */
    protected abstract byte[] piece(int token, boolean renderSpecial);

    /** llama_detokenize of tokens known to be in the vocabulary. */
    protected abstract byte[] detokenizeChecked(int[] tokens, boolean removeSpecial, boolean unparseSpecial);

    /** The model's chat templates, its tokenizer known to exist. */
    protected abstract NativeChatTemplates templates();

    /** A sampler chain, the tokenizer known to exist (DRY and grammars tokenize their words). */
    protected abstract NativeSampler sampler(Sampling sampling, ChatGrammar grammar);

    @Override
    public final int[] tokenize(byte[] utf8, boolean addSpecial, boolean parseSpecial) {
        requireTokenizer();
        int[] tokens = new int[utf8.length + 2];
        int n = tokenizeInto(utf8, tokens, addSpecial, parseSpecial);
        if (n < 0) {
            if (n == Integer.MIN_VALUE) {
                throw new LlamaException("the text is too long to tokenize (" + utf8.length + " bytes)");
            }
            tokens = new int[-n];
            n = tokenizeInto(utf8, tokens, addSpecial, parseSpecial);
        }
        return Arrays.copyOf(tokens, n);
    }

    @Override
    public final byte[] tokenBytes(int token, boolean renderSpecial) {
        checkToken(token);
        return piece(token, renderSpecial);
    }

    @Override
    public final byte[] detokenize(int[] tokens, boolean removeSpecial, boolean unparseSpecial) {
        for (int token : tokens) {
            checkToken(token);
        }
        return detokenizeChecked(tokens, removeSpecial, unparseSpecial);
    }

    /** llama.cpp indexes arrays with token ids unchecked: a bad id must not reach it. */
    private void checkToken(int token) {
        if (token < 0 || token >= info().vocabularySize()) {
            throw new IllegalArgumentException("token id " + token + " is outside the vocabulary (0.."
                    + (info().vocabularySize() - 1) + ")");
        }
    }

    @Override
    public final int[] endOfGenerationTokens() {
        int[] tokens = endOfGeneration;
        if (tokens == null) {
            tokens = IntStream.range(0, info().vocabularySize()).filter(this::isEndOfGeneration).toArray();
            endOfGeneration = tokens;
        }
        return tokens;
    }

    @Override
    public final NativeChatTemplates chatTemplates() {
        requireTokenizer(); // rendering tokenizes the template's special words
        return templates();
    }

    @Override
    public final NativeSampler newSampler(Sampling sampling) {
        requireTokenizer();
        return sampler(sampling, null);
    }

    @Override
    public final NativeSampler newSampler(Sampling sampling, ChatGrammar grammar) {
        requireTokenizer();
        return sampler(sampling, grammar);
    }

    /**
     * A vocabulary of type "none" (tokenizer.ggml.model = none) has no tokenizer, and llama.cpp's
     * tokenizer then fails a GGML_ASSERT, which ends the process (found by the model-loading fuzzer).
     */
    private void requireTokenizer() {
        if (!hasTokenizer()) {
            throw new LlamaException("this model has no tokenizer (its GGUF says tokenizer.ggml.model = none):"
                    + " it cannot tokenize text");
        }
    }

    /** Calls a C "write into buf, return the length" function with a buffer that grows until it fits. */
    protected static String text(IntFunction<String> withBufferOf) {
        for (int size = 256; ; size *= 4) {
            String s = withBufferOf.apply(size);
            if (s != null) {
                return s;
            }
        }
    }

    /** The model's {@code count} metadata keys and values, in llama.cpp's order. */
    protected static Map<String, String> metadata(int count, IndexedText key, IndexedText value) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            metadata.put(text(size -> key.at(index, size)), text(size -> value.at(index, size)));
        }
        return metadata;
    }
}
