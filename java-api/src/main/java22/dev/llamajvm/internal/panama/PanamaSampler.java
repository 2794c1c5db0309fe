package dev.llamajvm.internal.panama;

import dev.llamajvm.InvalidSamplingException;
import dev.llamajvm.Sampling;
import dev.llamajvm.Sampling.Stage;
import dev.llamajvm.internal.engine.NativeLog;
import dev.llamajvm.bindings.llama_h;
import dev.llamajvm.bindings.llama_jvm_guard_h;
import dev.llamajvm.bindings.llama_logit_bias;
import dev.llamajvm.bindings.llama_sampler_chain_params;
import dev.llamajvm.internal.engine.ChatGrammar;
import dev.llamajvm.internal.engine.GrammarLimits;
import dev.llamajvm.internal.engine.NativeContext;
import dev.llamajvm.internal.engine.SamplerBase;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A llama_sampler chain built from a {@link Sampling}: grammars first, the other stages in their
 * order, and a token-picking stage (greedy, mirostat) or else a seeded random pick last. Same samplers, same arguments as llama.cpp's
 * common_sampler builds for the same settings, so seeded runs match llama-completion.
 *
 * <p>Sampling, accepting and the stages that can throw are called through llama-jvm's guard
 * (llama-jvm-guard.h): a C++ exception becomes a Java one, not the end of the process. A chain
 * with a grammar ends with the guard's pick check, which fails the sampling before the grammar
 * would accept a token that every stage ruled out.
 */
final class PanamaSampler extends SamplerBase {

    private final MemorySegment chain;
    /** The guarded calls' out-parameter, allocated once: no allocation per token. */
    private final GuardError error = new GuardError(Arena.ofAuto());

    private PanamaSampler(MemorySegment chain, boolean constrained) {
        super(constrained);
        this.chain = chain;
    }

    /** The chain for {@code sampling}, behind {@code chatGrammar} (may be null). */
    static PanamaSampler create(PanamaModel model, Sampling sampling, ChatGrammar chatGrammar) {
        MemorySegment chain;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = llama_h.llama_sampler_chain_default_params(arena);
            llama_sampler_chain_params.no_perf(params, true);
            chain = llama_h.llama_sampler_chain_init(params);
        }
        try {
            if (chatGrammar != null) {
                llama_h.llama_sampler_chain_add(chain, chatGrammar(model.vocab(), chatGrammar));
            }
            Stages stages = new Stages(model.vocab());
            for (Stage stage : ordered(sampling.stages())) {
                llama_h.llama_sampler_chain_add(chain, stage(stages, stage, sampling.seed()));
            }
            if (picker(sampling.stages()) == null) {
                llama_h.llama_sampler_chain_add(chain, llama_h.llama_sampler_init_dist(sampling.seed()));
            }
            boolean constrained = constrained(sampling, chatGrammar);
            if (constrained) {
                llama_h.llama_sampler_chain_add(chain, guarded("llama-jvm could not make its pick check",
                        slot -> llama_jvm_guard_h.llama_jvm_sampler_init_pick_check()));
            }
            return new PanamaSampler(chain, constrained);
        } catch (RuntimeException | Error e) {
            llama_h.llama_sampler_free(chain);
            throw e;
        }
    }

    /** llama.cpp's samplers through the Panama bindings. */
    private record Stages(MemorySegment vocab) implements SamplerBase.Stages<MemorySegment> {
        private int vocabSize() {
            return llama_h.llama_vocab_n_tokens(vocab);
        }

        @Override public MemorySegment greedy() { return llama_h.llama_sampler_init_greedy(); }
        @Override public MemorySegment temperature(Sampling.Temperature t) {
            return llama_h.llama_sampler_init_temp_ext(t.temperature(), 0.0f, 1.0f);
        }
        @Override public MemorySegment topK(Sampling.TopK k) { return llama_h.llama_sampler_init_top_k(k.k()); }
        @Override public MemorySegment topP(Sampling.TopP p) { return llama_h.llama_sampler_init_top_p(p.p(), p.minKeep()); }
        @Override public MemorySegment minP(Sampling.MinP p) { return llama_h.llama_sampler_init_min_p(p.p(), p.minKeep()); }
        @Override public MemorySegment typical(Sampling.Typical p) {
            return llama_h.llama_sampler_init_typical(p.p(), p.minKeep());
        }
        @Override public MemorySegment penalties(Sampling.Penalties p) {
            return guarded("llama.cpp could not make the penalties stage (lastN " + p.lastN() + ")",
                    slot -> llama_jvm_guard_h.llama_jvm_sampler_init_penalties(vocabSize(), p.lastN(), p.repeat(),
                            p.frequency(), p.presence(), slot));
        }
        @Override public MemorySegment dry(Sampling.Dry d) { return PanamaSampler.dry(vocab, d); }
        @Override public MemorySegment xtc(Sampling.Xtc x, int seed) {
            return llama_h.llama_sampler_init_xtc(x.probability(), x.threshold(), x.minKeep(), seed);
        }
        @Override public MemorySegment mirostat(Sampling.Mirostat m, int seed) {
            return llama_h.llama_sampler_init_mirostat(vocabSize(), seed, m.tau(), m.eta(), m.m());
        }
        @Override public MemorySegment mirostatV2(Sampling.MirostatV2 m, int seed) {
            return llama_h.llama_sampler_init_mirostat_v2(seed, m.tau(), m.eta());
        }
        @Override public MemorySegment logitBias(Map<Integer, Float> bias) { return PanamaSampler.logitBias(vocabSize(), bias); }
        @Override public MemorySegment grammar(Sampling.Grammar g) { return PanamaSampler.grammar(vocab, g); }
    }

    private static MemorySegment dry(MemorySegment vocab, Sampling.Dry d) {
        try (Arena arena = Arena.ofConfined()) {
            List<String> breakers = d.sequenceBreakers();
            MemorySegment array = arena.allocate(ValueLayout.ADDRESS, breakers.size());
            for (int i = 0; i < breakers.size(); i++) {
                array.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(breakers.get(i)));
            }
            return guarded("llama.cpp could not make the DRY stage", slot -> llama_jvm_guard_h.llama_jvm_sampler_init_dry(
                    vocab, d.multiplier(), d.base(), d.allowedLength(), d.lastN(), array, breakers.size(), slot));
        }
    }

    private static MemorySegment logitBias(int vocabSize, Map<Integer, Float> bias) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment array = llama_logit_bias.allocateArray(bias.size(), arena);
            int i = 0;
            for (var e : bias.entrySet()) {
                if (e.getKey() < 0 || e.getKey() >= vocabSize) {
                    throw new InvalidSamplingException("logit bias for token " + e.getKey() + ", outside the vocabulary");
                }
                MemorySegment item = llama_logit_bias.asSlice(array, i++);
                llama_logit_bias.token(item, e.getKey());
                llama_logit_bias.bias(item, e.getValue());
            }
            return llama_h.llama_sampler_init_logit_bias(vocabSize, bias.size(), array);
        }
    }

    private static MemorySegment grammar(MemorySegment vocab, Sampling.Grammar g) {
        GrammarLimits.check(g.gbnf());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment gbnf = arena.allocateFrom(g.gbnf());
            MemorySegment root = arena.allocateFrom(g.root());
            return guarded("llama.cpp rejected the grammar",
                    slot -> llama_jvm_guard_h.llama_jvm_sampler_init_grammar(vocab, gbnf, root, slot));
        }
    }

    /**
     * A chat grammar as llama.cpp's common sampler makes it: lazy ones wait for a trigger, the
     * others are first walked past the assistant header they start with.
     */
    private static MemorySegment chatGrammar(MemorySegment vocab, ChatGrammar g) {
        GrammarLimits.check(g.gbnf());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment gbnf = arena.allocateFrom(g.gbnf());
            MemorySegment root = arena.allocateFrom("root");
            MemorySegment patterns = arena.allocate(ValueLayout.ADDRESS, Math.max(1, g.triggerPatterns().size()));
            for (int i = 0; i < g.triggerPatterns().size(); i++) {
                patterns.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(g.triggerPatterns().get(i)));
            }
            MemorySegment tokens = arena.allocate(ValueLayout.JAVA_INT, Math.max(1, g.triggerTokens().size()));
            for (int i = 0; i < g.triggerTokens().size(); i++) {
                tokens.setAtIndex(ValueLayout.JAVA_INT, i, g.triggerTokens().get(i));
            }
            MemorySegment made = guarded("llama.cpp rejected the chat grammar", slot -> g.lazy()
                    ? llama_jvm_guard_h.llama_jvm_sampler_init_grammar_lazy_patterns(vocab, gbnf, root, patterns,
                            g.triggerPatterns().size(), tokens, g.triggerTokens().size(), slot)
                    : llama_jvm_guard_h.llama_jvm_sampler_init_grammar(vocab, gbnf, root, slot));
            GuardError error = new GuardError(arena);
            try {
                prefill(g, token -> {
                    llama_jvm_guard_h.llama_jvm_sampler_accept(made, token, error.slot());
                    return error.take();
                });
            } catch (RuntimeException e) {
                llama_h.llama_sampler_free(made);
                throw e;
            }
            return made;
        }
    }

    /**
     * A stage made by a guarded init, which gets the error slot: NULL, or a C++ exception the guard
     * caught, is an InvalidSamplingException with llama.cpp's reason.
     */
    private static MemorySegment guarded(String failure, Function<MemorySegment, MemorySegment> init) {
        try (Arena arena = Arena.ofConfined()) {
            GuardError error = new GuardError(arena);
            NativeLog.Captured<MemorySegment> made = NativeLog.capture(() -> init.apply(error.slot()));
            String thrown = error.take();
            if (thrown != null) {
                throw new InvalidSamplingException(failure + ": " + thrown, made.reason());
            }
            if (made.value().equals(MemorySegment.NULL)) {
                throw new InvalidSamplingException(failure, made.reason());
            }
            return made.value();
        }
    }

    @Override
    protected int sampleGuarded(NativeContext context) {
        return llama_jvm_guard_h.llama_jvm_sampler_sample(chain, ((PanamaContext) context).context(), -1, error.slot());
    }

    @Override
    protected void acceptGuarded(int token) {
        llama_jvm_guard_h.llama_jvm_sampler_accept(chain, token, error.slot());
    }

    @Override
    protected String takeError() {
        return error.take();
    }

    @Override
    public void close() {
        llama_h.llama_sampler_free(chain);
    }
}
