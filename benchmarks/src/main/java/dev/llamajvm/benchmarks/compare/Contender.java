package dev.llamajvm.benchmarks.compare;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One of the things the comparison measures, and the command line of one measured run of it. */
enum Contender {
    LLAMA_BENCH("llama-bench"),
    OURS("llama-jvm"),
    JAVA_LLAMA_CPP("java-llama.cpp");

    final String label;

    Contender(String label) {
        this.label = label;
    }

    /** Where the children find things: llama.cpp's tools, our natives, the JVM and the class path. */
    record Setup(Path tools, Path natives, Path java, String classPath) {
    }

    List<String> command(Setup setup, Path model, Workload work) {
        List<String> command = new ArrayList<>();
        switch (this) {
            case LLAMA_BENCH -> command.addAll(List.of(setup.tools().resolve("llama-bench").toString(),
                    "-m", model.toString(), "-t", String.valueOf(work.threads()),
                    "-p", String.valueOf(work.promptTokens()), "-n", String.valueOf(work.generatedTokens()),
                    "-d", "0," + work.promptTokens(), "-r", "1", "-o", "csv"));
            case OURS -> command.addAll(javaCommand(setup, OursRun.class, model, work,
                    "-Dllama.jvm.library.path=" + setup.natives()));
            case JAVA_LLAMA_CPP -> command.addAll(javaCommand(setup, JavaLlamaCppRun.class, model, work,
                    "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")));
        }
        return command;
    }

    private static List<String> javaCommand(Setup setup, Class<?> main, Path model, Workload work, String property) {
        List<String> command = new ArrayList<>(List.of(setup.java().toString(), "--enable-native-access=ALL-UNNAMED",
                property, "-cp", setup.classPath(), main.getName(), model.toString()));
        command.addAll(List.of(work.asArgs()));
        return command;
    }
}
