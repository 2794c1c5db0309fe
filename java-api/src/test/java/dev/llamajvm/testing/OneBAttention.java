package dev.llamajvm.testing;

import dev.llamajvm.testing.models.RandomLlama;

import java.nio.file.Path;

/**
 * Llama-3.2-1B's attention (16 layers, 8 KV heads 64 wide), on which a KV cache cell takes what
 * it takes in the real model (32 KiB in F16); a narrow model and feed-forward keep the file small
 * (170 MB, most of it the 128K-token embedding).
 */
public final class OneBAttention {

    private OneBAttention() {}

    public static Path path() {
        var shape = new RandomLlama.Shape(16, 512, 8, 8, 64, 131072, 500000f, 1e-5f, true,
                RandomLlama.WeightType.F16, 0f);
        return RandomLlama.llama3(shape, 1, TestEnvironment.llamaSource(), TinyLlama3.cacheDir());
    }
}
