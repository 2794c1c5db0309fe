package dev.llamajvm;

import dev.llamajvm.testing.OneBAttention;

import dev.llamajvm.testing.CorruptGguf;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LlamaModel#estimateMemory} against what llama.cpp then really allocates, read from the
 * lines it logs for every buffer it makes ("model buffer size", "KV buffer size", "compute buffer
 * size", in MiB with two decimals), and against the KV cache size worked out by hand.
 */
class MemoryEstimateTest {

    private static final double MIB = 1024 * 1024;
    /** llama.cpp prints MiB rounded to two decimals: each logged buffer is off by up to 0.005 MiB. */
    private static final double PRINT_ROUNDING = 0.005 * MIB;

    /** Held strongly: java.util.logging keeps loggers weakly. */
    private static final Logger LLAMA = Logger.getLogger("dev.llamajvm.llama");

    private static final Pattern BUFFER = Pattern.compile("(model|KV|compute) buffer size = +([0-9.]+) MiB");

    private static Path model;

    @BeforeAll
    static void model() {
        model = OneBAttention.path();
    }

    @Test
    void matchesWhatLlamaCppAllocates() {
        ModelOptions modelOptions = ModelOptions.defaults().mmap(false);
        SessionOptions sessionOptions = SessionOptions.defaults().contextSize(4096).threads(1);
        long start = System.nanoTime();
        MemoryEstimate estimate = LlamaModel.estimateMemory(model, modelOptions, sessionOptions);
        System.out.printf("estimate %s in %.0f ms%n", estimate, (System.nanoTime() - start) / 1e6);

        // 16 layers x 4096 cells x (8 KV heads x 64) x (K + V) x 2 bytes (F16).
        long kvByHand = 16L * 4096 * 512 * 2 * 2;
        assertEquals(kvByHand, estimate.host().cacheBytes() + estimate.device().cacheBytes());

        List<String> loadLog = new CopyOnWriteArrayList<>();
        List<String> sessionLog = new CopyOnWriteArrayList<>();
        try (LlamaModel real = logging(loadLog, () -> LlamaModel.load(model, modelOptions));
             Session ignored = logging(sessionLog, () -> real.newSession(sessionOptions))) {
            Logged weights = logged(loadLog, "model");
            Logged cache = logged(sessionLog, "KV");
            Logged compute = logged(sessionLog, "compute");
            System.out.printf("logged: weights %s, cache %s, compute %s%n", weights, cache, compute);
            weights.assertMatches(estimate.host().weightBytes() + estimate.device().weightBytes(), "weights");
            cache.assertMatches(kvByHand, "KV cache");
            compute.assertMatches(estimate.host().computeBytes() + estimate.device().computeBytes(), "compute");
        }
    }

    /** What the 2^24-token context of {@link NativeOutOfMemoryTest} would need, known before it fails. */
    @Test
    void hugeContextIsEstimatedWithoutAllocating() {
        MemoryEstimate estimate = LlamaModel.estimateMemory(model, ModelOptions.defaults(),
                SessionOptions.defaults().contextSize(1 << 24).threads(1));
        assertEquals(16L * (1 << 24) * 512 * 2 * 2, estimate.host().cacheBytes() + estimate.device().cacheBytes());
        assertTrue(estimate.totalBytes() > 512L << 30, estimate.toString());
    }

    @Test
    void badInputIsRefused(@TempDir Path dir) {
        SessionOptions session = SessionOptions.defaults();
        assertThrows(ModelLoadException.class,
                () -> LlamaModel.estimateMemory(dir.resolve("missing.gguf"), ModelOptions.defaults(), session));
        assertThrows(ModelLoadException.class, () -> LlamaModel.estimateMemory(
                CorruptGguf.TENSORS_BAD_NAME_SIZE.writeTo(dir), ModelOptions.defaults(), session));
        assertThrows(IllegalArgumentException.class,
                () -> LlamaModel.estimateMemory(model, ModelOptions.defaults().vocabOnly(true), session));
        // Refused by llama.cpp itself: a quantized V cache needs flash attention.
        LlamaException refused = assertThrows(LlamaException.class, () -> LlamaModel.estimateMemory(model,
                ModelOptions.defaults(), session.cacheTypes(SessionOptions.CacheType.Q8_0, SessionOptions.CacheType.Q8_0)
                        .flashAttention(SessionOptions.FlashAttention.DISABLED)));
        assertTrue(refused.getMessage().contains("flash_attn"), refused.getMessage());
    }

    /** The sum of the buffers of one kind that llama.cpp logged, and how many there were. */
    private record Logged(double bytes, int buffers) {
        void assertMatches(long estimated, String what) {
            assertTrue(buffers > 0, "llama.cpp logged no " + what + " buffer");
            assertEquals(bytes, estimated, buffers * PRINT_ROUNDING,
                    what + ": estimated " + estimated + " bytes, llama.cpp allocated " + this);
        }
    }

    /** Runs {@code call} with llama.cpp's whole log (its INFO lines are DEBUG, FINE here) kept in {@code into}. */
    private static <T> T logging(List<String> into, Supplier<T> call) {
        Handler handler = new Handler() {
            @Override public void publish(LogRecord record) { into.add(record.getMessage()); }
            @Override public void flush() { }
            @Override public void close() { }
        };
        Level level = LLAMA.getLevel();
        LLAMA.setLevel(Level.ALL);
        LLAMA.addHandler(handler);
        try {
            return call.get();
        } finally {
            LLAMA.removeHandler(handler);
            LLAMA.setLevel(level);
        }
    }

    private static Logged logged(List<String> lines, String kind) {
        double bytes = 0;
        int buffers = 0;
        for (String line : lines) {
            Matcher m = BUFFER.matcher(line);
            if (m.find() && m.group(1).equals(kind)) {
                bytes += Double.parseDouble(m.group(2)) * MIB;
                buffers++;
            }
        }
        return new Logged(bytes, buffers);
    }
}
