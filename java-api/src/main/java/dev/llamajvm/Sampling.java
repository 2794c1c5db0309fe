package dev.llamajvm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the next token is chosen: a chain of llama.cpp's samplers, applied in the order they are
 * added. Immutable: each method returns a longer chain.
 *
 * <pre>{@code
 * Sampling.greedy();                                           // always the most likely token
 * Sampling.seeded(42).topK(40).topP(0.95f).temperature(0.8f);  // then a seeded random pick
 * Sampling.seeded(7).mirostatV2(5.0f, 0.1f);
 * }</pre>
 * Grammar stages always run first (they must see every candidate) and a token-picking stage
 * (greedy, mirostat) always runs last; a chain without one picks at random from what remains,
 * with {@link #seed()}. So {@code Sampling.greedy().penalties(..)} is penalised greedy decoding. Each stage takes the arguments llama.cpp's
 * common sampler gives it (min_keep 0, temperature as temp_ext without dynamic range), so a chain
 * seeded like {@code llama-completion --samplers ... -s SEED} picks the same tokens.
 *
 * @param stages the samplers, in order
 * @param seed   the random seed; {@link #RANDOM_SEED} for a different one each time
 */
public record Sampling(List<Stage> stages, int seed) {

    /** llama.cpp's LLAMA_DEFAULT_SEED: draw a fresh seed. */
    public static final int RANDOM_SEED = -1;

    public Sampling {
        stages = List.copyOf(stages);
    }

    /** Always the most likely token: deterministic. */
    public static Sampling greedy() {
        return new Sampling(List.of(new Greedy()), RANDOM_SEED);
    }

    /** An empty chain that ends in a random pick with the given seed. */
    public static Sampling seeded(int seed) {
        return new Sampling(List.of(), seed);
    }

    public Sampling temperature(float t) { return with(new Temperature(t)); }

    public Sampling topK(int k) { return with(new TopK(k)); }

    public Sampling topP(float p) { return with(new TopP(p, 0)); }

    public Sampling minP(float p) { return with(new MinP(p, 0)); }

    public Sampling typical(float p) { return with(new Typical(p, 0)); }

    /** Penalises tokens seen in the last {@code lastN} tokens (prompt included); 1.0/0/0 is off. */
    public Sampling penalties(int lastN, float repeat, float frequency, float presence) {
        return with(new Penalties(lastN, repeat, frequency, presence));
    }

    /** DRY ("don't repeat yourself") with llama.cpp's default sequence breakers. */
    public Sampling dry(float multiplier, float base, int allowedLength, int lastN) {
        return with(new Dry(multiplier, base, allowedLength, lastN, List.of("\n", ":", "\"", "*")));
    }

    /** XTC: with {@code probability}, drops the likeliest tokens above {@code threshold}. */
    public Sampling xtc(float probability, float threshold) {
        return with(new Xtc(probability, threshold, 0));
    }

    /** Mirostat v1 (ends the chain: it picks the token). */
    public Sampling mirostat(float tau, float eta) { return with(new Mirostat(tau, eta, 100)); }

    /** Mirostat v2 (ends the chain: it picks the token). */
    public Sampling mirostatV2(float tau, float eta) { return with(new MirostatV2(tau, eta)); }

    /** Adds {@code bias} to the logits of the given tokens ({@code -Infinity} bans a token). */
    public Sampling logitBias(Map<Integer, Float> bias) { return with(new LogitBias(Map.copyOf(bias))); }

    /** Constrains output to a GBNF grammar whose start rule is "root". */
    public Sampling grammar(String gbnf) { return with(new Grammar(gbnf, "root")); }

    public Sampling greedyPick() { return with(new Greedy()); }

    private Sampling with(Stage stage) {
        List<Stage> longer = new ArrayList<>(stages);
        longer.add(stage);
        return new Sampling(longer, seed);
    }

    /** One sampler of the chain. */
    public sealed interface Stage permits Greedy, Temperature, TopK, TopP, MinP, Typical, Penalties, Dry, Xtc,
            Mirostat, MirostatV2, LogitBias, Grammar {}

    public record Greedy() implements Stage {}

    public record Temperature(float temperature) implements Stage {}

    public record TopK(int k) implements Stage {}

    public record TopP(float p, int minKeep) implements Stage {}

    public record MinP(float p, int minKeep) implements Stage {}

    public record Typical(float p, int minKeep) implements Stage {}

    public record Penalties(int lastN, float repeat, float frequency, float presence) implements Stage {}

    public record Dry(float multiplier, float base, int allowedLength, int lastN, List<String> sequenceBreakers)
            implements Stage {}

    public record Xtc(float probability, float threshold, int minKeep) implements Stage {}

    public record Mirostat(float tau, float eta, int m) implements Stage {}

    public record MirostatV2(float tau, float eta) implements Stage {}

    public record LogitBias(Map<Integer, Float> bias) implements Stage {}

    public record Grammar(String gbnf, String root) implements Stage {}
}
