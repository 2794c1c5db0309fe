package dev.llamajvm.internal.engine;

import dev.llamajvm.InferenceException;
import dev.llamajvm.InvalidSamplingException;
import dev.llamajvm.Sampling;
import dev.llamajvm.Sampling.Stage;

import java.util.Map;

/**
 * What both engines' sampler chains do the same way: which llama.cpp sampler each {@link Stage}
 * is ({@link Stages}), a chat grammar walked past its prefill, and sampling and accepting through
 * the guard with their errors. An engine supplies the native calls.
 */
public abstract class SamplerBase implements NativeSampler {

    /**
     * The llama.cpp samplers, one per kind of stage, made by an engine.
     *
     * @param <S> the engine's handle of a llama_sampler
     */
    public interface Stages<S> {
        S greedy();
        S temperature(Sampling.Temperature t);
        S topK(Sampling.TopK k);
        S topP(Sampling.TopP p);
        S minP(Sampling.MinP p);
        S typical(Sampling.Typical p);
        S penalties(Sampling.Penalties p);
        S dry(Sampling.Dry d);
        S xtc(Sampling.Xtc x, int seed);
        S mirostat(Sampling.Mirostat m, int seed);
        S mirostatV2(Sampling.MirostatV2 m, int seed);
        S logitBias(Map<Integer, Float> bias);
        S grammar(Sampling.Grammar g);
    }

    private final boolean constrained;

    protected SamplerBase(boolean constrained) {
        this.constrained = constrained;
    }

    /** The sampler of {@code stage}, as llama.cpp's common_sampler makes it for the same settings. */
    public static <S> S stage(Stages<S> stages, Stage stage, int seed) {
        if (stage instanceof Sampling.Greedy) {
            return stages.greedy();
        } else if (stage instanceof Sampling.Temperature t) {
            return stages.temperature(t);
        } else if (stage instanceof Sampling.TopK k) {
            return stages.topK(k);
        } else if (stage instanceof Sampling.TopP p) {
            return stages.topP(p);
        } else if (stage instanceof Sampling.MinP p) {
            return stages.minP(p);
        } else if (stage instanceof Sampling.Typical p) {
            return stages.typical(p);
        } else if (stage instanceof Sampling.Penalties p) {
            return stages.penalties(p);
        } else if (stage instanceof Sampling.Dry d) {
            return stages.dry(d);
        } else if (stage instanceof Sampling.Xtc x) {
            return stages.xtc(x, seed);
        } else if (stage instanceof Sampling.Mirostat m) {
            return stages.mirostat(m, seed);
        } else if (stage instanceof Sampling.MirostatV2 m) {
            return stages.mirostatV2(m, seed);
        } else if (stage instanceof Sampling.LogitBias b) {
            return stages.logitBias(b.bias());
        } else if (stage instanceof Sampling.Grammar g) {
            return stages.grammar(g);
        }
        throw new IllegalArgumentException("unknown sampling stage " + stage);
    }

    /**
     * As common_sampler_init: the chat grammar is walked past the assistant header the prompt ends
     * with; {@code accept} accepts one token and returns what the guard caught (or null). A prefill
     * the grammar refuses fails the set-up.
     */
    public static void prefill(ChatGrammar grammar, java.util.function.IntFunction<String> accept) {
        for (int token : grammar.prefill()) {
            String thrown = accept.apply(token);
            if (thrown != null) {
                throw new InvalidSamplingException("the chat grammar does not accept the assistant header"
                        + " the prompt ends with: " + thrown);
            }
        }
    }

    /** llama_sampler_sample through the guard; what the guard caught is then in {@link #takeError()}. */
    protected abstract int sampleGuarded(NativeContext context);

    /** llama_sampler_accept through the guard; what the guard caught is then in {@link #takeError()}. */
    protected abstract void acceptGuarded(int token);

    /** What the last guarded call caught, or null; cleared by the call. */
    protected abstract String takeError();

    @Override
    public final int sample(NativeContext context) {
        int token = sampleGuarded(context);
        String thrown = takeError();
        if (thrown != null) {
            throw new InferenceException("sampling failed: " + thrown);
        }
        return token;
    }

    /** Prompt tokens feed the penalties; a grammar constrains the reply only, so it must not see them. */
    @Override
    public final void accept(int token) {
        if (!constrained) {
            acceptGuarded(token);
            String thrown = takeError();
            if (thrown != null) {
                throw new InferenceException("the sampler could not take prompt token " + token + ": " + thrown);
            }
        }
    }
}
