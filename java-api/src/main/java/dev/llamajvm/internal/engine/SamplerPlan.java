package dev.llamajvm.internal.engine;

import dev.llamajvm.Sampling;
import dev.llamajvm.Sampling.Stage;

import java.util.ArrayList;
import java.util.List;

/**
 * The order of a sampler chain, the same for both engines: grammars first (a stage that narrows the
 * candidates before the grammar masks them could leave only forbidden tokens, and accepting one
 * aborts llama.cpp), then the user's stages in order, then the one stage that picks the token
 * (greedy, mirostat) last: anything after a picker would pick again. Without a picker the chain
 * ends in a seeded random pick. Stateless.
 */
public final class SamplerPlan {

    private SamplerPlan() {}

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
}
