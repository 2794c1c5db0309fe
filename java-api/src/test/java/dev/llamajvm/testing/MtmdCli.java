package dev.llamajvm.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs llama.cpp's own llama-mtmd-cli (built from the pinned source) on one prompt with images and
 * returns the bytes it printed as its reply. It prints text, not token ids: each generated token's
 * piece (special tokens written out), after one newline that ends the prompt's evaluation and
 * before the newlines it ends with.
 */
public final class MtmdCli {

    private MtmdCli() {}

    /** Runs with the model's Jinja chat template (as our chats render), 2 threads, greedy. */
    public static byte[] reply(Path model, Path projector, List<Path> images, String prompt, int tokens)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("llama-mtmd-cli");
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        List<String> command = new ArrayList<>(List.of(TestEnvironment.tool("llama-mtmd-cli").toString(),
                "-m", model.toString(), "--mmproj", projector.toString(), "-p", prompt, "-n", Integer.toString(tokens),
                "--temp", "0", "-t", "2", "-c", "512", "--jinja", "--no-warmup"));
        for (Path image : images) {
            command.addAll(List.of("--image", image.toString()));
        }
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("llama-mtmd-cli timed out");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("llama-mtmd-cli failed (" + p.exitValue() + "): " + Files.readString(stderr));
        }
        byte[] out = Files.readAllBytes(stdout);
        if (out.length == 0 || out[0] != '\n') {
            throw new AssertionError("llama-mtmd-cli printed no reply: " + Files.readString(stderr));
        }
        return java.util.Arrays.copyOfRange(out, 1, out.length);
    }
}
