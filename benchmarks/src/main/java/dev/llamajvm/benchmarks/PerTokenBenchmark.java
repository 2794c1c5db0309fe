package dev.llamajvm.benchmarks;

import dev.llamajvm.GenerateOptions;
import dev.llamajvm.LlamaModel;
import dev.llamajvm.NativeLibraries;
import dev.llamajvm.Reply;
import dev.llamajvm.Session;
import dev.llamajvm.bindings.ggml_abort_callback;
import dev.llamajvm.bindings.ggml_log_callback;
import dev.llamajvm.bindings.llama_batch;
import dev.llamajvm.bindings.llama_context_params;
import dev.llamajvm.bindings.llama_h;
import dev.llamajvm.bindings.llama_sampler_chain_params;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * (b) The cost of one generated token (one llama_decode of a single token + one greedy
 * llama_sampler_sample), in microseconds, two ways over the same model, context settings and
 * prompt:
 * <ul>
 *   <li>{@link #raw}: straight through the generated bindings ({@code llama_h}), the least a Java
 *       caller can do: no log capture, no per-token allocation, and (abortUpcall=false) no abort
 *       callback; abortUpcall=true adds only a Java abort callback, as the API has;</li>
 *   <li>{@link #api}: {@code Session.complete} with a callback, i.e. everything the public API adds
 *       per token (abort upcall, EOG check, detokenising, UTF-8/stop-string handling, locking), on
 *       each engine (engine=panama, engine=jni: JMH forks a JVM per value, and the engine is chosen
 *       once per JVM).</li>
 * </ul>
 * {@link JniPerTokenBenchmark} is {@link #raw} through the JNI bindings.
 * Each invocation runs 128 steps from the cached prompt (the last prompt token is evaluated again,
 * as the API does), so both do 128 decodes and 128 samples; the score is per step.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(BenchSetup.TOKENS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PerTokenBenchmark {

    /**
     * A llama_context and a greedy sampler chain made with the raw bindings only. With
     * {@code abortUpcall=true} the context also gets an abort callback that is a Java upcall
     * answering false (what the API installs for cancellation), to price that upcall alone.
     */
    @State(Scope.Thread)
    public static class Raw {
        @Param({"false", "true"})
        boolean abortUpcall;

        Arena arena;
        MemorySegment model;
        MemorySegment context;
        MemorySegment memory;
        MemorySegment sampler;
        MemorySegment token;
        SegmentAllocator batchAllocator;
        int promptLength;
        int lastPromptToken;

        @Setup
        public void setUp() {
            NativeLibraries.load();
            arena = Arena.ofShared();
            // Keep llama.cpp quiet, as the API does (its log goes to System.Logger there).
            llama_h.llama_log_set(ggml_log_callback.allocate((level, text, data) -> { }, arena), MemorySegment.NULL);
            llama_h.llama_backend_init();

            MemorySegment modelParams = llama_h.llama_model_default_params(arena);
            model = llama_h.llama_model_load_from_file(arena.allocateFrom(BenchSetup.model().toString()), modelParams);
            check(model, "llama_model_load_from_file");

            // The same settings the API's session gets (SessionOptions.defaults().threads(2)).
            var options = BenchSetup.session(BenchSetup.THREADS);
            MemorySegment params = llama_h.llama_context_default_params(arena);
            llama_context_params.n_ctx(params, options.contextSize());
            llama_context_params.n_batch(params, options.batchSize());
            llama_context_params.n_ubatch(params, options.ubatchSize());
            llama_context_params.n_threads(params, options.threads());
            llama_context_params.n_threads_batch(params, options.batchThreads());
            if (abortUpcall) {
                llama_context_params.abort_callback(params, ggml_abort_callback.allocate(data -> false, arena));
            }
            context = llama_h.llama_init_from_model(model, params);
            check(context, "llama_init_from_model");
            memory = llama_h.llama_get_memory(context);

            MemorySegment chainParams = llama_h.llama_sampler_chain_default_params(arena);
            llama_sampler_chain_params.no_perf(chainParams, true);
            sampler = llama_h.llama_sampler_chain_init(chainParams);
            llama_h.llama_sampler_chain_add(sampler, llama_h.llama_sampler_init_greedy());

            token = arena.allocate(ValueLayout.JAVA_INT);
            batchAllocator = SegmentAllocator.prefixAllocator(llama_batch.allocate(arena));

            // Tokenize the prompt (with BOS, as the API does) and cache all of it but the last token.
            MemorySegment vocab = llama_h.llama_model_get_vocab(model);
            byte[] text = BenchSetup.PROMPT.getBytes(StandardCharsets.UTF_8);
            MemorySegment tokens = arena.allocate(ValueLayout.JAVA_INT, 64);
            promptLength = llama_h.llama_tokenize(vocab, arena.allocateFrom(ValueLayout.JAVA_BYTE, text), text.length,
                    tokens, 64, true, false);
            if (promptLength < 2) {
                throw new IllegalStateException("llama_tokenize gave " + promptLength);
            }
            lastPromptToken = tokens.getAtIndex(ValueLayout.JAVA_INT, promptLength - 1);
            int rc = llama_h.llama_decode(context, llama_h.llama_batch_get_one(batchAllocator, tokens, promptLength - 1));
            if (rc != 0) {
                throw new IllegalStateException("llama_decode of the prompt returned " + rc);
            }
        }

        @TearDown
        public void tearDown() {
            llama_h.llama_sampler_free(sampler);
            llama_h.llama_free(context);
            llama_h.llama_model_free(model);
            arena.close();
        }

        private static void check(MemorySegment segment, String what) {
            if (segment.equals(MemorySegment.NULL)) {
                throw new IllegalStateException(what + " returned NULL");
            }
        }
    }

    /** A public-API session on the same model and settings. */
    @State(Scope.Thread)
    public static class Api {
        @Param({"panama", "jni"})
        String engine;

        LlamaModel model;
        Session session;
        GenerateOptions options;

        @Setup
        public void setUp() {
            System.setProperty("llama.jvm.engine", engine);
            model = LlamaModel.load(BenchSetup.model());
            session = model.newSession(BenchSetup.session(BenchSetup.THREADS));
            options = BenchSetup.generate(BenchSetup.TOKENS);
            Reply first = session.complete(BenchSetup.PROMPT, options); // caches the prompt
            if (first.generatedTokens() != BenchSetup.TOKENS) {
                throw new IllegalStateException("expected " + BenchSetup.TOKENS + " tokens, got " + first.generatedTokens());
            }
        }

        @TearDown
        public void tearDown() {
            model.close();
        }
    }

    /** 128 x (llama_decode of one token + llama_sampler_sample), through llama_h. */
    @Benchmark
    public int raw(Raw s) {
        llama_h.llama_memory_seq_rm(s.memory, 0, s.promptLength - 1, -1);
        int next = s.lastPromptToken;
        for (int i = 0; i < BenchSetup.TOKENS; i++) {
            s.token.set(ValueLayout.JAVA_INT, 0, next);
            int rc = llama_h.llama_decode(s.context, llama_h.llama_batch_get_one(s.batchAllocator, s.token, 1));
            if (rc != 0) {
                throw new IllegalStateException("llama_decode returned " + rc);
            }
            next = llama_h.llama_sampler_sample(s.sampler, s.context, -1);
        }
        return next;
    }

    /** The same 128 steps through Session.complete (the prompt prefix comes from the KV cache). */
    @Benchmark
    public Object api(Api s, Blackhole bh) {
        return s.session.complete(BenchSetup.PROMPT, s.options, bh::consume);
    }
}
