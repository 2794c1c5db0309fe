package dev.llamajvm.benchmarks.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs llama-bench, llama-jvm and java-llama.cpp on the same model files, threads and workload,
 * interleaved (each repetition runs all three, in a rotating order, each in a fresh process under
 * GNU time for its peak RSS), then prints the table, and writes it as CSV and as a PNG bar chart.
 *
 * <pre>usage: Compare OUT_DIR TOOLS_DIR NATIVES_LIB_DIR JAVA CLASS_PATH REPS PROMPT GENERATED THREADS MODEL...</pre>
 */
public final class Compare {

    private Compare() {}

    /**
     * One measured run. {@code tg} is generation right after the prompt (at depth 512, as the Java
     * contenders measure it); {@code tgEmpty} is llama-bench's usual tg128 on an empty cache (NaN for the others).
     */
    record Run(String model, Contender contender, int rep, double pp, double tg, double tgEmpty, long peakRssKb) {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Contender.Setup setup = new Contender.Setup(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), args[4]);
        int reps = Integer.parseInt(args[5]);
        Workload work = Workload.fromArgs(args, 6);
        List<Path> models = new ArrayList<>();
        for (int i = 9; i < args.length; i++) {
            models.add(Path.of(args[i]));
        }
        Files.createDirectories(out);
        List<Run> runs = new ArrayList<>();
        Contender[] order = Contender.values();
        for (Path model : models) {
            for (int rep = 1; rep <= reps; rep++) {
                for (int i = 0; i < order.length; i++) {
                    Contender c = order[(i + rep) % order.length]; // rotate: no contender always goes first
                    Run run = measure(c, setup, model, work, rep, out);
                    System.err.printf(Locale.ROOT, "%s rep %d %-15s pp %8.2f t/s  tg %7.2f t/s  peak RSS %6.0f MB%n",
                            name(model), rep, c.label, run.pp(), run.tg(), run.peakRssKb() / 1024.0);
                    runs.add(run);
                }
            }
        }
        Report report = new Report(runs, work, reps);
        String table = report.table();
        System.out.println(table);
        Files.writeString(out.resolve("compare-runs.csv"), report.runsCsv());
        Files.writeString(out.resolve("compare-summary.csv"), report.summaryCsv());
        Files.writeString(out.resolve("compare-table.md"), "Measured " + LocalDate.now() + ", " + cpu() + ", "
                + work.threads() + " threads, " + reps + " runs each.\n\n" + table);
        Chart.write(report, out.resolve("compare.png"), "llama-jvm vs llama-bench vs java-llama.cpp ("
                + work.threads() + " threads, " + cpu() + ")");
        System.err.println("wrote " + out.resolve("compare-runs.csv") + ", compare-summary.csv, compare-table.md, compare.png");
    }

    static String name(Path model) {
        String file = model.getFileName().toString();
        return file.endsWith(".gguf") ? file.substring(0, file.length() - 5) : file;
    }

    private static Run measure(Contender c, Contender.Setup setup, Path model, Workload work, int rep, Path out)
            throws IOException, InterruptedException {
        Path rss = Files.createTempFile(out, "rss", ".txt");
        Path log = out.resolve("logs").resolve(name(model) + "-" + c.name().toLowerCase(Locale.ROOT) + "-" + rep + ".log");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-o", rss.toString(), "-f", "%M"));
        command.addAll(c.command(setup, model, work));
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        if (code != 0) {
            throw new IOException(c.label + " failed (exit " + code + "); see " + log + "\n" + stdout);
        }
        List<String> timeOutput = Files.readAllLines(rss); // GNU time's last line: peak RSS in KB
        long peak = Long.parseLong(timeOutput.get(timeOutput.size() - 1).trim());
        Files.delete(rss);
        double[] rates = c == Contender.LLAMA_BENCH ? llamaBenchRates(stdout, work) : resultRates(stdout, c);
        return new Run(name(model), c, rep, rates[0], rates[1], rates[2], peak);
    }

    /**
     * From llama-bench's CSV (one row per test and depth, average tokens/s in avg_ts): pp512 on an
     * empty cache, tg128 after 512 tokens (depth 512: where the Java contenders generate), and
     * tg128 on an empty cache (llama-bench's headline figure).
     */
    private static double[] llamaBenchRates(String csv, Workload work) {
        List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
        List<String> header = splitCsv(lines.get(0));
        int nPrompt = header.indexOf("n_prompt");
        int nGen = header.indexOf("n_gen");
        int depth = header.indexOf("n_depth");
        int avg = header.indexOf("avg_ts");
        double[] rates = {Double.NaN, Double.NaN, Double.NaN};
        for (String line : lines.subList(1, lines.size())) {
            List<String> row = splitCsv(line);
            boolean empty = Integer.parseInt(row.get(depth)) == 0;
            double rate = Double.parseDouble(row.get(avg));
            if (Integer.parseInt(row.get(nPrompt)) == work.promptTokens() && empty) {
                rates[0] = rate;
            } else if (Integer.parseInt(row.get(nGen)) == work.generatedTokens()) {
                rates[empty ? 2 : 1] = rate;
            }
        }
        return rates;
    }

    private static List<String> splitCsv(String line) {
        List<String> cells = new ArrayList<>();
        for (String cell : line.split(",", -1)) {
            cells.add(cell.replace("\"", ""));
        }
        return cells;
    }

    private static double[] resultRates(String stdout, Contender c) throws IOException {
        for (String line : stdout.lines().toList()) {
            if (line.startsWith(Workload.RESULT + " ")) {
                Map<String, Double> values = new LinkedHashMap<>();
                for (String part : line.substring(Workload.RESULT.length() + 1).split(" ")) {
                    String[] kv = part.split("=");
                    values.put(kv[0], Double.parseDouble(kv[1]));
                }
                return new double[] {values.get("pp"), values.get("tg"), Double.NaN};
            }
        }
        throw new IOException(c.label + " printed no result line:\n" + stdout);
    }

    static String cpu() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim() + " (" + Runtime.getRuntime().availableProcessors()
                            + " CPUs)";
                }
            }
        } catch (IOException ignored) {
            // not Linux: say so below
        }
        return Runtime.getRuntime().availableProcessors() + " CPUs";
    }

    /** Groups runs: by model, then contender. */
    static Map<String, Map<Contender, List<Run>>> grouped(List<Run> runs) {
        Map<String, Map<Contender, List<Run>>> byModel = new LinkedHashMap<>();
        for (Run r : runs) {
            byModel.computeIfAbsent(r.model(), k -> new EnumMap<>(Contender.class))
                    .computeIfAbsent(r.contender(), k -> new ArrayList<>()).add(r);
        }
        return byModel;
    }
}
