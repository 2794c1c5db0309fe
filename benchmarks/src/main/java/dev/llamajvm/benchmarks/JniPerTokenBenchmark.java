package dev.llamajvm.benchmarks;

import dev.llamajvm.NativeLibraries;
import dev.llamajvm.bindings.jni.Llama;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
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

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * {@link PerTokenBenchmark#raw} through the JNI bindings JavaCPP generated: 128 x (llama_decode of
 * one token + llama_sampler_sample), the least a Java caller can do through JNI, with and without
 * a Java abort callback. Against {@link PerTokenBenchmark#api} with engine=jni it prices what the
 * JNI engine and the API add per token.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(BenchSetup.TOKENS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dllama.jvm.engine=jni"})
public class JniPerTokenBenchmark {

    @State(Scope.Thread)
    public static class RawJni {
        @Param({"false", "true"})
        boolean abortUpcall;

        Llama.llama_model model;
        Llama.llama_context context;
        Llama.llama_memory_i memory;
        Llama.llama_sampler sampler;
        Llama.llama_batch batch;
        IntPointer token;
        Llama.ggml_abort_callback abort;
        int promptLength;
        int lastPromptToken;

        @Setup
        public void setUp() {
            NativeLibraries.describe(); // starts the JNI engine: natives, glue, backends, llama_backend_init
            try (Llama.llama_model_params modelParams = Llama.llama_model_default_params();
                 BytePointer path = new BytePointer(BenchSetup.model().toString(), StandardCharsets.UTF_8)) {
                model = Llama.llama_model_load_from_file(path, modelParams);
            }
            check(model, "llama_model_load_from_file");
            var options = BenchSetup.session(BenchSetup.THREADS);
            try (Llama.llama_context_params params = Llama.llama_context_default_params()) {
                params.n_ctx(options.contextSize());
                params.n_batch(options.batchSize());
                params.n_ubatch(options.ubatchSize());
                params.n_threads(options.threads());
                params.n_threads_batch(options.batchThreads());
                if (abortUpcall) {
                    abort = new Llama.ggml_abort_callback() {
                        @Override
                        public boolean call(Pointer data) {
                            return false;
                        }
                    };
                    params.abort_callback(abort);
                }
                context = Llama.llama_init_from_model(model, params);
            }
            check(context, "llama_init_from_model");
            memory = Llama.llama_get_memory(context);
            try (Llama.llama_sampler_chain_params chainParams = Llama.llama_sampler_chain_default_params()) {
                chainParams.no_perf(true);
                sampler = Llama.llama_sampler_chain_init(chainParams);
            }
            Llama.llama_sampler_chain_add(sampler, Llama.llama_sampler_init_greedy());

            token = new IntPointer(1L);
            batch = new Llama.llama_batch();
            batch.token(token);
            byte[] text = BenchSetup.PROMPT.getBytes(StandardCharsets.UTF_8);
            try (BytePointer bytes = new BytePointer(text); IntPointer tokens = new IntPointer(64L)) {
                promptLength = Llama.llama_tokenize(Llama.llama_model_get_vocab(model), bytes, text.length, tokens, 64,
                        true, false);
                if (promptLength < 2) {
                    throw new IllegalStateException("llama_tokenize gave " + promptLength);
                }
                lastPromptToken = tokens.get(promptLength - 1);
                try (Llama.llama_batch prompt = Llama.llama_batch_get_one(tokens, promptLength - 1)) {
                    int rc = Llama.llama_decode(context, prompt);
                    if (rc != 0) {
                        throw new IllegalStateException("llama_decode of the prompt returned " + rc);
                    }
                }
            }
        }

        @TearDown
        public void tearDown() {
            Llama.llama_sampler_free(sampler);
            Llama.llama_free(context);
            Llama.llama_model_free(model);
        }

        private static void check(Pointer pointer, String what) {
            if (pointer == null || pointer.isNull()) {
                throw new IllegalStateException(what + " returned NULL");
            }
        }
    }

    /** 128 x (llama_decode of one token + llama_sampler_sample), through the JNI bindings. */
    @Benchmark
    public int rawJni(RawJni s) {
        Llama.llama_memory_seq_rm(s.memory, 0, s.promptLength - 1, -1);
        int next = s.lastPromptToken;
        for (int i = 0; i < BenchSetup.TOKENS; i++) {
            s.token.put(0, next);
            s.batch.n_tokens(1);
            int rc = Llama.llama_decode(s.context, s.batch);
            if (rc != 0) {
                throw new IllegalStateException("llama_decode returned " + rc);
            }
            next = Llama.llama_sampler_sample(s.sampler, s.context, -1);
        }
        return next;
    }
}
