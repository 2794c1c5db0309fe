package dev.llamajvm;

import java.util.Map;
import java.util.Optional;

/**
 * What a loaded model says about itself. Immutable.
 *
 * @param architecture         GGUF {@code general.architecture}, e.g. "llama"
 * @param description          llama.cpp's one-line description, e.g. "llama 1B Q4_K - Medium"
 * @param parameterCount       number of parameters
 * @param sizeBytes            size of the weights in bytes
 * @param trainedContextLength context length the model was trained with
 * @param embeddingSize        width of the embeddings
 * @param layerCount           number of layers
 * @param headCount            number of attention heads
 * @param vocabularySize       number of tokens in the vocabulary
 * @param specialTokens        its special tokens
 * @param chatTemplate         the built-in chat template (Jinja source), if the model has one
 * @param metadata             every GGUF metadata key with its value as text
 */
public record ModelInfo(String architecture, String description, long parameterCount, long sizeBytes,
                        int trainedContextLength, int embeddingSize, int layerCount, int headCount,
                        int vocabularySize, SpecialTokens specialTokens, Optional<String> chatTemplate,
                        Map<String, String> metadata) {

    public ModelInfo {
        metadata = Map.copyOf(metadata);
    }

    /**
     * The vocabulary's special tokens; {@link #NONE} where the model has no such token.
     */
    public record SpecialTokens(int bos, int eos, int eot, int sep, int newline, int pad) {
        /** The id llama.cpp uses for "no such token". */
        public static final int NONE = -1;
    }
}
