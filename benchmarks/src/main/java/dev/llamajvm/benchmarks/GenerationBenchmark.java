package dev.llamajvm.benchmarks;

import dev.llamajvm.GenerateOptions;
import dev.llamajvm.LlamaModel;
import dev.llamajvm.Session;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * (a) End-to-end greedy streaming generation through the public API, in generated tokens per
 * second: each operation empties the session, then streams a 128-token completion of the prompt
 * (tokenize, prompt evaluation, sampler set-up, 128 sampled tokens, UTF-8 assembly) and reads
 * every piece. The score is ops/s with one op = one token, i.e. tokens/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(BenchSetup.TOKENS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class GenerationBenchmark {

    private LlamaModel model;
    private Session session;
    private GenerateOptions options;

    @Setup
    public void setUp() {
        model = LlamaModel.load(BenchSetup.model());
        session = model.newSession(BenchSetup.session(BenchSetup.THREADS));
        options = BenchSetup.generate(BenchSetup.TOKENS);
    }

    @TearDown
    public void tearDown() {
        model.close();
    }

    /** Session.stream: pieces pulled one by one, as a streaming UI would. */
    @Benchmark
    public int stream(Blackhole bh) {
        session.reset();
        int pieces = 0;
        try (Stream<String> stream = session.stream(BenchSetup.PROMPT, options)) {
            for (Iterator<String> it = stream.iterator(); it.hasNext(); pieces++) {
                bh.consume(it.next());
            }
        }
        return pieces;
    }

    /** Session.complete with a callback: pieces pushed to the caller; also returns the Reply. */
    @Benchmark
    public Object completeWithCallback(Blackhole bh) {
        session.reset();
        return session.complete(BenchSetup.PROMPT, options, bh::consume);
    }
}
