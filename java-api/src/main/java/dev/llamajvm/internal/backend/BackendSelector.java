package dev.llamajvm.internal.backend;

import dev.llamajvm.NativeLibraries;
import dev.llamajvm.NativeLibraryException;
import dev.llamajvm.internal.NativeManifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Chooses which of a natives folder's ggml backend modules this JVM registers: at most one GPU
 * backend (CUDA, then Vulkan, then Metal, as node-llama-cpp orders them) and one CPU variant.
 *
 * <p>ggml alone would register the CPU variant that cpuid scores best, and some machines advertise
 * instructions they then refuse (AMX on this project's build machines: SIGILL in the first
 * quantized matrix product, the JVM gone). So each candidate is first test-run by a
 * {@link ModuleProbe} in a child process, best first, and the first that passes wins. CPU verdicts
 * are kept per machine in {@link ProbeVerdicts}; GPU backends are probed on every start, since a
 * driver may come or go. A GPU backend that fails its probe is skipped with its reason, and the
 * CPU computes.
 *
 * <p>One instance serves one {@link #choose} call; not thread-safe.
 */
public final class BackendSelector {

    /** GPU backends in the order they are tried. */
    static final List<String> GPU_ORDER = List.of("cuda", "hip", "vulkan", "metal", "sycl", "opencl");

    private final BackendSettings settings;
    private final ModuleScorer scorer;
    private final ModuleProbe probe;
    private final ProbeVerdicts verdicts;
    private final Consumer<String> warn;
    private final List<String> skipped = new ArrayList<>();

    /**
     * @param warn where a module that could not be probed is reported (the loader's warning log)
     */
    public BackendSelector(BackendSettings settings, ModuleScorer scorer, ModuleProbe probe, ProbeVerdicts verdicts,
                           Consumer<String> warn) {
        this.settings = settings;
        this.scorer = scorer;
        this.probe = probe;
        this.verdicts = verdicts;
        this.warn = warn;
    }

    /**
     * Chooses the modules of the natives in {@code folder}.
     *
     * @throws NativeLibraryException when a forced backend or variant is absent or fails, or no CPU
     *     variant can run here; the message lists every module tried and why it was passed over
     */
    public BackendChoice choose(Path folder, NativeManifest manifest) {
        List<Module> modules = manifest.entries().stream()
                .flatMap(e -> BackendModule.parse(e.fileName()).map(m -> new Module(m, e.sha256(), folder)).stream())
                .toList();
        String probeHash = manifest.entries().stream().filter(e -> ProbeProgram.isProgram(e.fileName()))
                .map(NativeManifest.Entry::sha256).findFirst().orElse("none");
        Optional<String> forced = settings.backend();
        List<String> known = new ArrayList<>(List.of("cpu"));
        modules.stream().map(m -> m.module.backend()).filter(b -> !b.equals("cpu") && !known.contains(b)).forEach(known::add);
        if (forced.isPresent() && !known.contains(forced.get()) && !GPU_ORDER.contains(forced.get())) {
            throw new NativeLibraryException("-D" + NativeLibraries.BACKEND_PROPERTY + "=" + forced.get()
                    + " names no backend; use one of " + String.join(", ", known) + " (those in " + folder + ")");
        }

        List<Path> chosen = new ArrayList<>();
        Optional<Module> gpu = chooseGpu(modules, forced, folder);
        gpu.ifPresent(m -> chosen.add(m.path()));
        // Backends that are neither a GPU nor the CPU (BLAS, RPC) work beside whichever computes.
        modules.stream().filter(m -> !m.module.isCpu() && !GPU_ORDER.contains(m.module.backend()))
                .forEach(m -> chosen.add(m.path()));

        List<Module> cpu = modules.stream().filter(m -> m.module.isCpu()).toList();
        if (cpu.isEmpty()) {
            return new BackendChoice(chosen, gpu.map(m -> m.module.backend()).orElse("cpu"), Optional.empty(),
                    "ggml's built-in CPU backend", skipped);
        }
        CpuPick pick = chooseCpu(cpu, probeHash);
        chosen.add(pick.module.path());
        return new BackendChoice(chosen, gpu.map(m -> m.module.backend()).orElse("cpu"),
                pick.module.module.variant(), pick.how, skipped);
    }

    private Optional<Module> chooseGpu(List<Module> modules, Optional<String> forced, Path folder) {
        List<Module> gpus = modules.stream().filter(m -> GPU_ORDER.contains(m.module.backend()))
                .sorted(Comparator.comparingInt(m -> GPU_ORDER.indexOf(m.module.backend()))).toList();
        for (Module gpu : gpus) {
            String name = gpu.module.displayName();
            if (forced.isPresent() && !forced.get().equals(gpu.module.backend())) {
                skipped.add(name + ": -D" + NativeLibraries.BACKEND_PROPERTY + "=" + forced.get());
                continue;
            }
            ProbeVerdict verdict;
            try {
                verdict = settings.probe() ? probe.probe(gpu.path()) : ProbeVerdict.PASSED;
            } catch (ModuleProbe.ProbeUnavailableException e) {
                // An untested GPU module may kill the JVM (no driver is the common case): not worth it.
                verdict = ProbeVerdict.failed("could not be probed (" + e.getMessage() + ")");
            }
            if (verdict.passed()) {
                return Optional.of(gpu);
            }
            skipped.add(name + ": " + verdict.reason());
        }
        if (forced.isPresent() && !forced.get().equals("cpu")) {
            throw new NativeLibraryException("-D" + NativeLibraries.BACKEND_PROPERTY + "=" + forced.get() + " but "
                    + (gpus.stream().anyMatch(m -> m.module.backend().equals(forced.get()))
                            ? "it cannot run here: " + String.join("; ", skipped)
                            : folder + " has no " + forced.get() + " backend (add the natives jar with the "
                                    + forced.get() + " classifier)"));
        }
        return Optional.empty();
    }

    private record CpuPick(Module module, String how) {}

    private CpuPick chooseCpu(List<Module> cpu, String probeHash) {
        Optional<String> forced = settings.cpuVariant();
        if (forced.isPresent()) {
            Module module = cpu.stream().filter(m -> m.module.variant().orElse("").equals(forced.get())).findFirst()
                    .orElseThrow(() -> new NativeLibraryException("-D" + NativeLibraries.CPU_VARIANT_PROPERTY + "="
                            + forced.get() + " names no CPU variant of these natives; they have "
                            + String.join(", ", cpu.stream().map(m -> m.module.variant().orElse("?")).toList())));
            return new CpuPick(module, "forced by -D" + NativeLibraries.CPU_VARIANT_PROPERTY);
        }
        List<Scored> candidates = new ArrayList<>();
        for (Module m : cpu) {
            try {
                int score = scorer.score(m.path());
                if (score > 0) {
                    candidates.add(new Scored(m, score));
                }
            } catch (IllegalArgumentException e) {
                skipped.add(m.module.displayName() + ": cannot be opened (" + e.getMessage() + ")");
            }
        }
        // Stable sort: equal scores keep the manifest's order.
        candidates.sort(Comparator.comparingInt(Scored::score).reversed());
        if (candidates.isEmpty()) {
            throw new NativeLibraryException("none of the " + cpu.size() + " CPU variants of these natives supports"
                    + " this processor (each one's ggml_backend_score was 0)" + skippedSuffix());
        }
        if (!settings.probe()) {
            return new CpuPick(candidates.get(0).module, "best score, not probed: -D"
                    + NativeLibraries.PROBE_PROPERTY + "=false");
        }
        for (Scored candidate : candidates) {
            Module m = candidate.module;
            String key = m.sha256 + "-" + probeHash;
            Optional<ProbeVerdict> kept = verdicts.get(key);
            ProbeVerdict verdict;
            try {
                verdict = kept.orElseGet(() -> probe.probe(m.path()));
            } catch (ModuleProbe.ProbeUnavailableException e) {
                warn.accept("cannot test-run CPU variants in a child process (" + e.getMessage()
                        + "); using " + m.module.displayName() + ", the best ggml_backend_score, untested");
                return new CpuPick(m, "best score, not probed: " + e.getMessage());
            }
            if (kept.isEmpty() && verdict.lasting()) {
                verdicts.put(key, verdict);
            }
            if (verdict.passed()) {
                return new CpuPick(m, kept.isPresent() ? "verdict cached in " + verdicts.file() : "probed");
            }
            skipped.add(m.module.displayName() + ": " + verdict.reason() + (kept.isPresent() ? " (cached)" : ""));
        }
        throw new NativeLibraryException("every CPU variant that scores above 0 here failed its probe"
                + skippedSuffix() + " (delete " + verdicts.file() + " to probe again)");
    }

    private String skippedSuffix() {
        return skipped.isEmpty() ? "" : ": " + String.join("; ", skipped);
    }

    private record Scored(Module module, int score) {}

    private record Module(BackendModule module, String sha256, Path folder) {
        Path path() {
            return folder.resolve(module.fileName());
        }
    }
}
