package dev.llamajvm.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A saved crasher (resource {@code regressions/<target>/<name>}, or {@code <name>.delta} against a
 * seed) run once through its target in a child JVM, as the fuzzer ran it.
 */
record Replay(int exitCode, ChildOutput output) {

    static Replay of(FuzzTarget target, String name) {
        Path input = input(target, name);
        Path log = input.resolveSibling(input.getFileName() + ".log");
        int exit = ChildJvm.run(target, List.of("-artifact_prefix=" + log.getParent() + "/",
                        "-rss_limit_mb=" + Campaign.RSS_LIMIT_MB, input.toString()),
                List.of("-Dllama.jvm.fuzz.verbose=true"), log, 300);
        return new Replay(exit, ChildOutput.read(log));
    }

    /** The outcome lines the target printed ("[fuzz] refused: ..." or "[fuzz] accepted: ..."). */
    List<String> outcomes() {
        return output.lines().stream().filter(l -> l.startsWith("[fuzz] ")).toList();
    }

    String describe() {
        return "exit " + exitCode + (exitCode == 0 ? "" : ", crash: " + output.signature()) + "\n" + output.tail(30);
    }

    private static Path input(FuzzTarget target, String name) {
        Path saved = resource("regressions/" + target.id() + "/" + name);
        try {
            if (!name.endsWith(".delta")) {
                Path copy = replays(target).resolve(name);
                Files.createDirectories(copy.getParent());
                return Files.copy(saved, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            SeedDelta delta = SeedDelta.read(saved);
            byte[] bytes = delta.apply(Files.readAllBytes(Seeds.seed(target, delta.seed())));
            Path rebuilt = replays(target).resolve(name.substring(0, name.length() - ".delta".length()));
            Files.createDirectories(rebuilt.getParent());
            return Files.write(rebuilt, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path replays(FuzzTarget target) {
        return FuzzEnvironment.workDir().resolve("fuzz").resolve("replays").resolve(target.id());
    }

    private static Path resource(String name) {
        URL url = Replay.class.getResource("/" + name);
        if (url == null) {
            throw new IllegalStateException("no resource " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
