package dev.llamajvm.benchmarks.compare;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;

/**
 * One measured run of the {@link Workload} through java-llama.cpp ({@code de.kherud:llama}, a child
 * process of {@link Compare}). It has no timings API, so the prompt rate is the prompt's tokens over
 * the time to the first output, and the generation rate the remaining tokens over the time from the
 * first output to the last. Its 4.2.0 iterator can stay blocked after the last token, so the
 * run ends once no output has come for five seconds, without closing the model.
 *
 * <pre>usage: JavaLlamaCppRun MODEL PROMPT_TOKENS GENERATED_TOKENS THREADS</pre>
 */
public final class JavaLlamaCppRun {

    private JavaLlamaCppRun() {}

    public static void main(String[] args) throws InterruptedException {
        Workload work = Workload.fromArgs(args, 1);
        LlamaModel.setLogger(LogFormat.TEXT, (level, message) -> { });
        ModelParameters params = new ModelParameters().setModel(args[0]).setThreads(work.threads())
                .setThreadsBatch(work.threads()).setCtxSize(work.promptTokens() + work.generatedTokens() + 16)
                .setBatchSize(512).setUbatchSize(512).setGpuLayers(0);
        try (LlamaModel model = new LlamaModel(params)) {
            int encoded = model.encode(work.promptText()).length;
            if (encoded != work.promptTokens() - 1 && encoded != work.promptTokens()) {
                throw new IllegalStateException("the prompt encodes to " + encoded + " tokens");
            }
            model.complete(new InferenceParameters("Warm up").setNPredict(8).setIgnoreEos(true));
            InferenceParameters inference = new InferenceParameters(work.promptText()).setNPredict(work.generatedTokens())
                    .setTemperature(0f).setIgnoreEos(true).setCachePrompt(false);
            long start = System.nanoTime();
            long[] times = new long[2]; // first and last output
            Thread reader = new Thread(() -> {
                for (LlamaOutput ignored : model.generate(inference)) {
                    synchronized (times) {
                        times[1] = System.nanoTime();
                        if (times[0] == 0) {
                            times[0] = times[1];
                        }
                    }
                }
            });
            reader.setDaemon(true);
            reader.start();
            // Its iterator (4.2.0) can stay blocked after the last token, and closing can hang too:
            // the reply is over once no output has come for a while.
            while (true) {
                reader.join(1000);
                synchronized (times) {
                    if (!reader.isAlive() || (times[1] != 0 && System.nanoTime() - times[1] > 5_000_000_000L)) {
                        break;
                    }
                }
            }
            synchronized (times) {
                Workload.printResult(work.promptTokens() / ((times[0] - start) / 1e9),
                        (work.generatedTokens() - 1) / ((times[1] - times[0]) / 1e9));
            }
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
    }
}
