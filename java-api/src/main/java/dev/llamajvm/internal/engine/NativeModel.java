package dev.llamajvm.internal.engine;

import dev.llamajvm.EmbeddingOptions;
import dev.llamajvm.ModelInfo;
import dev.llamajvm.Sampling;
import dev.llamajvm.SessionOptions;

/**
 * A loaded llama_model and its vocabulary. Tokenizer calls may come from many threads at once
 * (llama.cpp's vocabulary is read-only after load); {@link #close()} must not race other calls:
 * the public owner guarantees that.
 */
public interface NativeModel extends AutoCloseable {

    ModelInfo info();

    int[] tokenize(byte[] utf8, boolean addSpecial, boolean parseSpecial);

    /** The UTF-8 bytes of one token (possibly part of a character). */
    byte[] tokenBytes(int token, boolean renderSpecial);

    byte[] detokenize(int[] tokens, boolean removeSpecial, boolean unparseSpecial);

    boolean isEndOfGeneration(int token);

    /** Every end-of-generation token of the vocabulary (EOS, EOT, ...). */
    int[] endOfGenerationTokens();

    /**
     * The model's chat templates (ChatML where its metadata has none), rendering with its
     * vocabulary so results carry token ids. Throws {@link dev.llamajvm.ChatFormatException}.
     */
    NativeChatTemplates chatTemplates();

    NativeContext newContext(SessionOptions options);

    NativeSampler newSampler(Sampling sampling);

    /** A sampler chain with a chat grammar (tool calls, output format) in front of {@code sampling}. */
    NativeSampler newSampler(Sampling sampling, ChatGrammar grammar);

    NativeEmbedder newEmbedder(EmbeddingOptions options);

    /**
     * Loads a multimodal projector (mmproj) for this model.
     *
     * @throws dev.llamajvm.ModelLoadException with libmtmd's reason when it cannot
     */
    NativeProjector loadProjector(java.nio.file.Path path, dev.llamajvm.ProjectorOptions options);

    @Override
    void close();
}
