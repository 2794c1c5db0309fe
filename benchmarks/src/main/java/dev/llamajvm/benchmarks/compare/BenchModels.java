package dev.llamajvm.benchmarks.compare;

import dev.llamajvm.NativeLibraries;
import dev.llamajvm.testing.models.RandomLlama;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the real-size benchmark models: a random-weight llama with exactly Llama 3.2 1B's (or 3B's)
 * shape, Llama 3 vocabulary and chat template, written in F16 by {@link RandomLlama} and quantized
 * by llama.cpp's own {@code llama-quantize} to Q8_0 and Q4_K_M. Files are cached (the F16 one is
 * removed once both quantized files exist).
 *
 * <pre>usage: BenchModels SOURCE_DIR TOOLS_DIR CACHE_DIR 1b|3b SEED</pre>
 * Prints the quantized files' paths, one a line.
 */
public final class BenchModels {

    /** The quantizations the benchmark compares, as llama-quantize names them. */
    public static final List<String> QUANTS = List.of("Q8_0", "Q4_K_M");

    private BenchModels() {}

    /** Llama 3.2 3B's shape: 28 layers, 3072 wide, 24 heads, 8 KV heads, FF 8192, tied, 131,072 context. */
    static RandomLlama.Shape llama32ThreeB() {
        return new RandomLlama.Shape(28, 3072, 24, 8, 8192, 131072, 500000f, 1e-5f, true,
                RandomLlama.WeightType.F16, 0f);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: BenchModels SOURCE_DIR TOOLS_DIR CACHE_DIR 1b|3b SEED");
            System.exit(2);
        }
        Path source = Path.of(args[0]);
        Path quantize = Path.of(args[1]).resolve("llama-quantize");
        Path cache = Path.of(args[2]);
        RandomLlama.Shape shape = switch (args[3]) {
            case "1b" -> RandomLlama.Shape.llama32OneB();
            case "3b" -> llama32ThreeB();
            default -> throw new IllegalArgumentException("size must be 1b or 3b, not " + args[3]);
        };
        long seed = Long.parseLong(args[4]);
        NativeLibraries.load();
        for (Path file : make(shape, args[3], seed, source, quantize, cache)) {
            System.out.println(file);
        }
    }

    static List<Path> make(RandomLlama.Shape shape, String name, long seed, Path source, Path quantize, Path cache)
            throws IOException, InterruptedException {
        Files.createDirectories(cache);
        List<Path> quantized = new ArrayList<>();
        Path f16 = null;
        for (String type : QUANTS) {
            Path target = cache.resolve("llama32-" + name + "-random-seed" + seed + "-" + type + ".gguf");
            if (!Files.isRegularFile(target)) {
                if (f16 == null) {
                    System.err.println("making the F16 model (" + name + " shape, seed " + seed + ")");
                    f16 = RandomLlama.llama3(shape, seed, source, cache);
                }
                Path part = target.resolveSibling(target.getFileName() + ".part");
                System.err.println("quantizing to " + type);
                Process p = new ProcessBuilder(quantize.toString(), f16.toString(), part.toString(), type)
                        .redirectErrorStream(true).redirectOutput(cache.resolve("quantize-" + type + ".log").toFile())
                        .start();
                if (p.waitFor() != 0) {
                    throw new IOException("llama-quantize failed; see " + cache.resolve("quantize-" + type + ".log"));
                }
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            quantized.add(target);
        }
        if (f16 != null) {
            Files.deleteIfExists(f16); // 2.5 GB (1B) or 6.4 GB (3B) that nothing measures
        }
        return quantized;
    }
}
