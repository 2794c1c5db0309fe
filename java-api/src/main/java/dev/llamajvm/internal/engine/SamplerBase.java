package dev.llamajvm.internal.engine;

import dev.llamajvm.InferenceException;
import dev.llamajvm.InvalidSamplingException;
import dev.llamajvm.Sampling;
import dev.llamajvm.Sampling.Stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What both engines' sampler chains do the same way: the chain's order, which llama.cpp sampler
 * each {@link Stage} is ({@link Stages}), a chat grammar walked past its prefill, and sampling and
 * accepting through the guard with their errors. An engine supplies the native calls.
 *
 * <p>The order: grammars first (a stage that narrows the candidates before the grammar masks them
 * could leave only forbidden tokens, and accepting one aborts llama.cpp), then the user's stages in
 * order, then the one stage that picks the token (greedy, mirostat) last: anything after a picker
 * would pick again. Without a picker the chain ends in a seeded random pick.
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

    /** The stages in chain order. */
    public static List<Stage> ordered(List<Stage> stages) {
        Stage picker = picker(stages);
        List<Stage> ordered = new ArrayList<>();
        stages.stream().filter(s -> s instanceof Sampling.Grammar).forEach(ordered::add);
        stages.stream().filter(s -> !(s instanceof Sampling.Grammar) && !isPicker(s)).forEach(ordered::add);
        if (picker != null) {
            ordered.add(picker);
        }
        return ordered;
    }

    /** The last token-picking stage, or null when the chain ends in a seeded random pick. */
    public static Stage picker(List<Stage> stages) {
        Stage picker = null;
        for (Stage s : stages) {
            if (isPicker(s)) {
                picker = s;
            }
        }
        return picker;
    }

    /** Whether a grammar (the user's or a chat grammar) constrains the reply: the chain then ends with the pick check. */
    public static boolean constrained(Sampling sampling, ChatGrammar chatGrammar) {
        return chatGrammar != null || sampling.stages().stream().anyMatch(s -> s instanceof Sampling.Grammar);
    }

    private static boolean isPicker(Stage s) {
        return s instanceof Sampling.Greedy || s instanceof Sampling.Mirostat || s instanceof Sampling.MirostatV2;
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
