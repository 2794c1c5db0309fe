package dev.llamajvm.benchmarks.compare;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The comparison's figures: means and spreads per model, test and contender, and the ratios. */
final class Report {

    /** A test: llama-bench's name for it and how to read its rate off a run. */
    record Test(String name, ToDoubleFunction<Compare.Run> rate) {
    }

    /** Mean and sample standard deviation. */
    record Stat(double mean, double sd, int n) {
        static Stat of(List<Compare.Run> runs, ToDoubleFunction<Compare.Run> value) {
            double[] v = runs.stream().mapToDouble(value).toArray();
            double mean = java.util.Arrays.stream(v).average().orElse(Double.NaN);
            double ss = java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
            return new Stat(mean, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0, v.length);
        }
    }

    final List<Compare.Run> runs;
    final List<Test> tests;
    /** llama-bench's tg on an empty cache: for reference, the Java contenders generate after the prompt. */
    final Test emptyCacheTest;
    final Map<String, Map<Contender, List<Compare.Run>>> byModel;

    Report(List<Compare.Run> runs, Workload work, int reps) {
        this.runs = runs;
        this.tests = List.of(new Test("pp" + work.promptTokens(), Compare.Run::pp),
                new Test("tg" + work.generatedTokens() + " @ d" + work.promptTokens(), Compare.Run::tg));
        this.emptyCacheTest = new Test("tg" + work.generatedTokens(), Compare.Run::tgEmpty);
        this.byModel = Compare.grouped(runs);
    }

    Stat stat(String model, Contender c, Test test) {
        return Stat.of(byModel.get(model).get(c), test.rate());
    }

    double peakRssMb(String model, Contender c) {
        return byModel.get(model).get(c).stream().mapToLong(Compare.Run::peakRssKb).max().orElse(0) / 1024.0;
    }

    String table() {
        StringBuilder t = new StringBuilder();
        t.append("| model | test | llama-bench t/s | llama-jvm t/s | java-llama.cpp t/s | llama-jvm / llama-bench | llama-jvm / java-llama.cpp |\n");
        t.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (String model : byModel.keySet()) {
            for (Test test : tests) {
                Stat nat = stat(model, Contender.LLAMA_BENCH, test);
                Stat ours = stat(model, Contender.OURS, test);
                Stat other = stat(model, Contender.JAVA_LLAMA_CPP, test);
                t.append(String.format(Locale.ROOT, "| %s | %s | %.2f ± %.2f | %.2f ± %.2f | %.2f ± %.2f | %.3f | %.3f |%n",
                        model, test.name(), nat.mean(), nat.sd(), ours.mean(), ours.sd(), other.mean(), other.sd(),
                        ours.mean() / nat.mean(), ours.mean() / other.mean()));
            }
        }
        for (String model : byModel.keySet()) {
            Stat empty = stat(model, Contender.LLAMA_BENCH, emptyCacheTest);
            t.append(String.format(Locale.ROOT, "%nllama-bench %s on an empty cache, %s: %.2f ± %.2f t/s.", emptyCacheTest.name(),
                    model, empty.mean(), empty.sd()));
        }
        t.append("\n\n| model | llama-bench peak RSS | llama-jvm peak RSS | java-llama.cpp peak RSS | llama-jvm / llama-bench |\n");
        t.append("|---|---:|---:|---:|---:|\n");
        for (String model : byModel.keySet()) {
            double nat = peakRssMb(model, Contender.LLAMA_BENCH);
            double ours = peakRssMb(model, Contender.OURS);
            t.append(String.format(Locale.ROOT, "| %s | %.0f MB | %.0f MB | %.0f MB | %.3f |%n", model, nat, ours,
                    peakRssMb(model, Contender.JAVA_LLAMA_CPP), ours / nat));
        }
        return t.toString();
    }

    String runsCsv() {
        StringBuilder csv = new StringBuilder("model,contender,rep,pp_tps,tg_after_prompt_tps,tg_empty_cache_tps,peak_rss_mb\n");
        for (Compare.Run r : runs) {
            csv.append(String.format(Locale.ROOT, "%s,%s,%d,%.4f,%.4f,%.4f,%.1f%n", r.model(), r.contender().label, r.rep(),
                    r.pp(), r.tg(), r.tgEmpty(), r.peakRssKb() / 1024.0));
        }
        return csv.toString();
    }

    String summaryCsv() {
        StringBuilder csv = new StringBuilder("model,test,contender,mean_tps,sd_tps,runs,peak_rss_mb\n");
        for (String model : byModel.keySet()) {
            for (Test test : tests) {
                for (Contender c : Contender.values()) {
                    Stat s = stat(model, c, test);
                    csv.append(String.format(Locale.ROOT, "%s,%s,%s,%.4f,%.4f,%d,%.1f%n", model, test.name(), c.label,
                            s.mean(), s.sd(), s.n(), peakRssMb(model, c)));
                }
            }
        }
        return csv.toString();
    }
}
