package dev.llamajvm.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs llama.cpp's own llama-completion (built from the pinned source) and reads back the token
 * ids it generated: it prints text, not ids, but with --prompt-cache-all it saves prompt +
 * generated ids in its session file, whose header is: magic, version, count, ids (int32 LE).
 */
public final class LlamaCompletion {

    /** The session file's magic, "ggsn" (llama.h's LLAMA_SESSION_MAGIC). */
    private static final int SESSION_MAGIC = 0x6767736e;

    private LlamaCompletion() {}

    /**
     * What one run produced: the session's ids, prompt then generated. (Its printed text is not
     * kept: llama.cpp's asynchronous log may lose the tail of it at exit.)
     */
    public record Run(List<Integer> sessionTokens) {

        /** The {@code count} ids after the first {@code promptLength}. */
        public List<Integer> generated(int promptLength, int count) {
            if (sessionTokens.size() < promptLength + count) {
                throw new AssertionError("llama-completion saved only " + sessionTokens.size() + " tokens: " + sessionTokens);
            }
            return sessionTokens.subList(promptLength, promptLength + count);
        }
    }

    /** Runs llama-completion on {@code model} with {@code prompt}, {@code -n count}, 2 threads, and extra flags. */
    public static Run run(Path model, String prompt, int count, String... flags) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("llama-completion");
        Path session = dir.resolve("session.bin");
        Path stderr = dir.resolve("stderr.txt");
        List<String> command = new ArrayList<>(List.of(TestEnvironment.tool("llama-completion").toString(),
                "-m", model.toString(), "-p", prompt, "-n", Integer.toString(count), "-t", "2", "-c", "256",
                "-no-cnv", "--simple-io", "--prompt-cache", session.toString(), "--prompt-cache-all"));
        command.addAll(List.of(flags));
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("llama-completion timed out");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("llama-completion failed (" + p.exitValue() + "): " + Files.readString(stderr));
        }
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(session)).order(ByteOrder.LITTLE_ENDIAN);
        if (file.getInt() != SESSION_MAGIC) {
            throw new AssertionError("not a llama.cpp session file: " + session);
        }
        file.getInt(); // version
        int n = file.getInt();
        List<Integer> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(file.getInt());
        }
        return new Run(ids);
    }
}
