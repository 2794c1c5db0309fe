package dev.llamajvm.internal.jni;

import dev.llamajvm.InvalidSamplingException;
import dev.llamajvm.Sampling;
import dev.llamajvm.Sampling.Stage;
import dev.llamajvm.bindings.jni.Llama;
import dev.llamajvm.internal.engine.ChatGrammar;
import dev.llamajvm.internal.engine.GrammarLimits;
import dev.llamajvm.internal.engine.NativeContext;
import dev.llamajvm.internal.engine.NativeLog;
import dev.llamajvm.internal.engine.SamplerBase;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A llama_sampler chain built from a {@link Sampling} in {@link SamplerBase}'s order, with the same
 * samplers and arguments as the Panama engine's (and llama.cpp's common_sampler), so seeded runs
 * match. Sampling, accepting and the stages that can throw go through llama-jvm's guard; a chain
 * with a grammar ends with the guard's pick check.
 */
final class JniSampler extends SamplerBase {

    private final Llama.llama_sampler chain;
    /** The guarded calls' out-parameter, allocated once: no allocation per token. */
    private final GuardSlot error = new GuardSlot();

    private JniSampler(Llama.llama_sampler chain, boolean constrained) {
        super(constrained);
        this.chain = chain;
    }

    /** The chain for {@code sampling}, behind {@code chatGrammar} (may be null). */
    static JniSampler create(JniModel model, Sampling sampling, ChatGrammar chatGrammar) {
        Llama.llama_sampler chain;
        try (Llama.llama_sampler_chain_params params = Llama.llama_sampler_chain_default_params()) {
            params.no_perf(true);
            chain = Llama.llama_sampler_chain_init(params);
        }
        try {
            if (chatGrammar != null) {
                Llama.llama_sampler_chain_add(chain, chatGrammar(model.vocab(), chatGrammar));
            }
            Stages stages = new Stages(model.vocab());
            for (Stage stage : ordered(sampling.stages())) {
                Llama.llama_sampler_chain_add(chain, stage(stages, stage, sampling.seed()));
            }
            if (picker(sampling.stages()) == null) {
                Llama.llama_sampler_chain_add(chain, Llama.llama_sampler_init_dist(sampling.seed()));
            }
            boolean constrained = constrained(sampling, chatGrammar);
            if (constrained) {
                Llama.llama_sampler_chain_add(chain, guarded("llama-jvm could not make its pick check",
                        slot -> Llama.llama_jvm_sampler_init_pick_check()));
            }
            return new JniSampler(chain, constrained);
        } catch (RuntimeException | Error e) {
            Llama.llama_sampler_free(chain);
            throw e;
        }
    }

    /** llama.cpp's samplers through the JNI bindings. */
    private record Stages(Llama.llama_vocab vocab) implements SamplerBase.Stages<Llama.llama_sampler> {
        private int vocabSize() {
            return Llama.llama_vocab_n_tokens(vocab);
        }

        @Override public Llama.llama_sampler greedy() { return Llama.llama_sampler_init_greedy(); }
        @Override public Llama.llama_sampler temperature(Sampling.Temperature t) {
            return Llama.llama_sampler_init_temp_ext(t.temperature(), 0.0f, 1.0f);
        }
        @Override public Llama.llama_sampler topK(Sampling.TopK k) { return Llama.llama_sampler_init_top_k(k.k()); }
        @Override public Llama.llama_sampler topP(Sampling.TopP p) { return Llama.llama_sampler_init_top_p(p.p(), p.minKeep()); }
        @Override public Llama.llama_sampler minP(Sampling.MinP p) { return Llama.llama_sampler_init_min_p(p.p(), p.minKeep()); }
        @Override public Llama.llama_sampler typical(Sampling.Typical p) {
            return Llama.llama_sampler_init_typical(p.p(), p.minKeep());
        }
        @Override public Llama.llama_sampler penalties(Sampling.Penalties p) {
            return guarded("llama.cpp could not make the penalties stage (lastN " + p.lastN() + ")",
                    slot -> Llama.llama_jvm_sampler_init_penalties(vocabSize(), p.lastN(), p.repeat(), p.frequency(),
                            p.presence(), slot));
        }
        @Override public Llama.llama_sampler dry(Sampling.Dry d) { return JniSampler.dry(vocab, d); }
        @Override public Llama.llama_sampler xtc(Sampling.Xtc x, int seed) {
            return Llama.llama_sampler_init_xtc(x.probability(), x.threshold(), x.minKeep(), seed);
        }
        @Override public Llama.llama_sampler mirostat(Sampling.Mirostat m, int seed) {
            return Llama.llama_sampler_init_mirostat(vocabSize(), seed, m.tau(), m.eta(), m.m());
        }
        @Override public Llama.llama_sampler mirostatV2(Sampling.MirostatV2 m, int seed) {
            return Llama.llama_sampler_init_mirostat_v2(seed, m.tau(), m.eta());
        }
        @Override public Llama.llama_sampler logitBias(Map<Integer, Float> bias) { return JniSampler.logitBias(vocabSize(), bias); }
        @Override public Llama.llama_sampler grammar(Sampling.Grammar g) { return JniSampler.grammar(vocab, g); }
    }

    private static Llama.llama_sampler dry(Llama.llama_vocab vocab, Sampling.Dry d) {
        List<String> breakers = d.sequenceBreakers();
        List<BytePointer> strings = new ArrayList<>();
        try (PointerPointer<BytePointer> array = new PointerPointer<>(Math.max(1, breakers.size()))) {
            for (int i = 0; i < breakers.size(); i++) {
                BytePointer s = JniStrings.utf8(breakers.get(i));
                strings.add(s);
                array.put(i, s);
            }
            return guarded("llama.cpp could not make the DRY stage", slot -> Llama.llama_jvm_sampler_init_dry(
                    vocab, d.multiplier(), d.base(), d.allowedLength(), d.lastN(), array, breakers.size(), slot));
        } finally {
            strings.forEach(BytePointer::close);
        }
    }

    private static Llama.llama_sampler logitBias(int vocabSize, Map<Integer, Float> bias) {
        try (Llama.llama_logit_bias array = new Llama.llama_logit_bias(Math.max(1, bias.size()))) {
            int i = 0;
            for (var e : bias.entrySet()) {
                if (e.getKey() < 0 || e.getKey() >= vocabSize) {
                    throw new InvalidSamplingException("logit bias for token " + e.getKey() + ", outside the vocabulary");
                }
                Llama.llama_logit_bias item = array.getPointer(i++);
                item.token(e.getKey());
                item.bias(e.getValue());
            }
            return Llama.llama_sampler_init_logit_bias(vocabSize, bias.size(), array);
        }
    }

    private static Llama.llama_sampler grammar(Llama.llama_vocab vocab, Sampling.Grammar g) {
        GrammarLimits.check(g.gbnf());
        try (BytePointer gbnf = JniStrings.utf8(g.gbnf()); BytePointer root = JniStrings.utf8(g.root())) {
            return guarded("llama.cpp rejected the grammar",
                    slot -> Llama.llama_jvm_sampler_init_grammar(vocab, gbnf, root, slot));
        }
    }

    /**
     * A chat grammar as llama.cpp's common sampler makes it: lazy ones wait for a trigger, the
     * others are first walked past the assistant header they start with.
     */
    private static Llama.llama_sampler chatGrammar(Llama.llama_vocab vocab, ChatGrammar g) {
        GrammarLimits.check(g.gbnf());
        List<BytePointer> strings = new ArrayList<>();
        try (BytePointer gbnf = JniStrings.utf8(g.gbnf()); BytePointer root = JniStrings.utf8("root");
             PointerPointer<BytePointer> patterns = new PointerPointer<>(Math.max(1, g.triggerPatterns().size()));
             IntPointer tokens = new IntPointer((long) Math.max(1, g.triggerTokens().size()))) {
            for (int i = 0; i < g.triggerPatterns().size(); i++) {
                BytePointer s = JniStrings.utf8(g.triggerPatterns().get(i));
                strings.add(s);
                patterns.put(i, s);
            }
            for (int i = 0; i < g.triggerTokens().size(); i++) {
                tokens.put(i, g.triggerTokens().get(i));
            }
            Llama.llama_sampler made = guarded("llama.cpp rejected the chat grammar", slot -> g.lazy()
                    ? Llama.llama_jvm_sampler_init_grammar_lazy_patterns(vocab, gbnf, root, patterns,
                            g.triggerPatterns().size(), tokens, g.triggerTokens().size(), slot)
                    : Llama.llama_jvm_sampler_init_grammar(vocab, gbnf, root, slot));
            GuardSlot error = new GuardSlot();
            try {
                prefill(g, token -> {
                    Llama.llama_jvm_sampler_accept(made, token, error.slot());
                    return error.take();
                });
            } catch (RuntimeException e) {
                Llama.llama_sampler_free(made);
                throw e;
            }
            return made;
        } finally {
            strings.forEach(BytePointer::close);
        }
    }

    /**
     * A stage made by a guarded init, which gets the error slot: NULL, or a C++ exception the guard
     * caught, is an InvalidSamplingException with llama.cpp's reason.
     */
    private static Llama.llama_sampler guarded(String failure, Function<PointerPointer<BytePointer>, Llama.llama_sampler> init) {
        GuardSlot error = new GuardSlot();
        NativeLog.Captured<Llama.llama_sampler> made = NativeLog.capture(() -> init.apply(error.slot()));
        String thrown = error.take();
        if (thrown != null) {
            throw new InvalidSamplingException(failure + ": " + thrown, made.reason());
        }
        if (made.value() == null || made.value().isNull()) {
            throw new InvalidSamplingException(failure, made.reason());
        }
        return made.value();
    }

    @Override
    protected int sampleGuarded(NativeContext context) {
        return Llama.llama_jvm_sampler_sample(chain, ((JniContext) context).context(), -1, error.slot());
    }

    @Override
    protected void acceptGuarded(int token) {
        Llama.llama_jvm_sampler_accept(chain, token, error.slot());
    }

    @Override
    protected String takeError() {
        return error.take();
    }

    @Override
    public void close() {
        Llama.llama_sampler_free(chain);
    }
}
