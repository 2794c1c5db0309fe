package dev.llamajvm.internal.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamajvm.NativeLibraryException;
import dev.llamajvm.internal.NativeManifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The choice of backend modules, with scores and probe verdicts made up per module. */
class BackendSelectorTest {

    @TempDir
    Path temp;

    private final Map<String, Integer> scores = new HashMap<>();
    private final Map<String, ProbeVerdict> verdicts = new HashMap<>();
    private final List<String> probed = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private final ModuleScorer scorer = module -> scores.getOrDefault(module.getFileName().toString(), 0);
    private final ModuleProbe probe = module -> {
        String name = module.getFileName().toString();
        probed.add(name);
        return verdicts.getOrDefault(name, ProbeVerdict.PASSED);
    };

    private static NativeManifest manifest(String... names) {
        List<NativeManifest.Entry> entries = new ArrayList<>();
        entries.add(new NativeManifest.Entry("0".repeat(64), "libggml.so.0"));
        entries.add(new NativeManifest.Entry("1".repeat(64), ProbeProgram.NAME));
        for (int i = 0; i < names.length; i++) {
            entries.add(new NativeManifest.Entry(Integer.toHexString(i + 2).repeat(64).substring(0, 64), names[i]));
        }
        return new NativeManifest(entries);
    }

    private BackendChoice choose(BackendSettings settings, NativeManifest manifest) {
        return new BackendSelector(settings, scorer, probe, new ProbeVerdicts(temp.resolve("cpu.properties")),
                warnings::add).choose(temp, manifest);
    }

    private BackendChoice choose(NativeManifest manifest) {
        return choose(BackendSettings.DEFAULTS, manifest);
    }

    private static List<String> names(BackendChoice choice) {
        return choice.modules().stream().map(p -> p.getFileName().toString()).toList();
    }

    @Test
    void picksTheBestScoringVariantThatPassesItsProbe() {
        scores.putAll(Map.of("libggml-cpu-haswell.so", 10, "libggml-cpu-sapphirerapids.so", 30, "libggml-cpu-zen4.so", 20,
                "libggml-cpu-x64.so", 1));
        verdicts.put("libggml-cpu-sapphirerapids.so", ProbeVerdict.failed("the probe died of SIGILL"));

        BackendChoice choice = choose(manifest("libggml-cpu-haswell.so", "libggml-cpu-sapphirerapids.so",
                "libggml-cpu-x64.so", "libggml-cpu-zen4.so"));

        assertEquals(List.of("libggml-cpu-zen4.so"), names(choice));
        assertEquals(Optional.of("zen4"), choice.cpuVariant());
        assertEquals("cpu", choice.backend());
        assertEquals(List.of("libggml-cpu-sapphirerapids.so", "libggml-cpu-zen4.so"), probed);
        assertEquals(List.of("cpu-sapphirerapids: the probe died of SIGILL"), choice.skipped());
        assertEquals("probed", choice.how());
    }

    @Test
    void keepsCpuVerdictsSoTheNextStartProbesNothing() {
        scores.putAll(Map.of("libggml-cpu-sapphirerapids.so", 30, "libggml-cpu-zen4.so", 20));
        verdicts.put("libggml-cpu-sapphirerapids.so", ProbeVerdict.failed("the probe died of SIGILL"));
        NativeManifest manifest = manifest("libggml-cpu-sapphirerapids.so", "libggml-cpu-zen4.so");
        choose(manifest);
        probed.clear();

        BackendChoice again = choose(manifest);

        assertEquals(List.of(), probed);
        assertEquals(Optional.of("zen4"), again.cpuVariant());
        assertEquals(List.of("cpu-sapphirerapids: the probe died of SIGILL (cached)"), again.skipped());
        assertTrue(again.how().startsWith("verdict cached in "), again.how());
    }

    @Test
    void aFailureThatMayNotHappenAgainIsNotKept() {
        scores.putAll(Map.of("libggml-cpu-sapphirerapids.so", 30, "libggml-cpu-zen4.so", 20));
        verdicts.put("libggml-cpu-sapphirerapids.so", ProbeVerdict.failedThisTime("the probe did not finish within 60 s"));
        NativeManifest manifest = manifest("libggml-cpu-sapphirerapids.so", "libggml-cpu-zen4.so");
        choose(manifest);
        probed.clear();

        choose(manifest);

        assertEquals(List.of("libggml-cpu-sapphirerapids.so"), probed, "probed again; zen4's pass was kept");
    }

    @Test
    void aVariantThatScoresZeroIsNeverProbed() {
        scores.putAll(Map.of("libggml-cpu-haswell.so", 10));

        BackendChoice choice = choose(manifest("libggml-cpu-haswell.so", "libggml-cpu-zen4.so"));

        assertEquals(List.of("libggml-cpu-haswell.so"), probed);
        assertEquals(Optional.of("haswell"), choice.cpuVariant());
    }

    @Test
    void theOverrideTakesAVariantUnprobed() {
        scores.putAll(Map.of("libggml-cpu-haswell.so", 10, "libggml-cpu-zen4.so", 20));

        BackendChoice choice = choose(new BackendSettings(Optional.empty(), Optional.of("haswell"), true),
                manifest("libggml-cpu-haswell.so", "libggml-cpu-zen4.so"));

        assertEquals(Optional.of("haswell"), choice.cpuVariant());
        assertEquals(List.of(), probed);
        assertTrue(choice.how().contains("llama.jvm.cpu.variant"), choice.how());
    }

    @Test
    void anOverrideNamingNoVariantListsTheVariants() {
        NativeLibraryException e = assertThrows(NativeLibraryException.class,
                () -> choose(new BackendSettings(Optional.empty(), Optional.of("pentium"), true),
                        manifest("libggml-cpu-haswell.so", "libggml-cpu-zen4.so")));

        assertTrue(e.getMessage().contains("pentium") && e.getMessage().contains("haswell, zen4"), e.getMessage());
    }

    @Test
    void whenEveryVariantFailsTheErrorGivesEachReason() {
        scores.putAll(Map.of("libggml-cpu-haswell.so", 10, "libggml-cpu-zen4.so", 20));
        verdicts.put("libggml-cpu-haswell.so", ProbeVerdict.failed("the probe died of SIGSEGV"));
        verdicts.put("libggml-cpu-zen4.so", ProbeVerdict.failed("the probe died of SIGILL"));

        NativeLibraryException e = assertThrows(NativeLibraryException.class,
                () -> choose(manifest("libggml-cpu-haswell.so", "libggml-cpu-zen4.so")));

        assertTrue(e.getMessage().contains("cpu-zen4: the probe died of SIGILL")
                && e.getMessage().contains("cpu-haswell: the probe died of SIGSEGV"), e.getMessage());
    }

    @Test
    void withoutAProbeTheBestScoreIsUsedAndAWarningSaysSo() {
        scores.putAll(Map.of("libggml-cpu-haswell.so", 10, "libggml-cpu-zen4.so", 20));
        ModuleProbe unavailable = module -> {
            throw new ModuleProbe.ProbeUnavailableException("noexec mount", null);
        };

        BackendChoice choice = new BackendSelector(BackendSettings.DEFAULTS, scorer, unavailable,
                new ProbeVerdicts(temp.resolve("cpu.properties")), warnings::add)
                .choose(temp, manifest("libggml-cpu-haswell.so", "libggml-cpu-zen4.so"));

        assertEquals(Optional.of("zen4"), choice.cpuVariant());
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("noexec mount"), warnings.get(0));
    }

    @Test
    void gpuBackendsAreTriedCudaThenVulkanAndTheCpuAlwaysComesToo() {
        scores.put("libggml-cpu-haswell.so", 10);

        BackendChoice choice = choose(manifest("libggml-vulkan.so", "libggml-cuda.so", "libggml-cpu-haswell.so"));

        assertEquals(List.of("libggml-cuda.so", "libggml-cpu-haswell.so"), names(choice));
        assertEquals("cuda", choice.backend());
        assertEquals(List.of("libggml-cuda.so", "libggml-cpu-haswell.so"), probed);
    }

    @Test
    void aGpuBackendThatFailsItsProbeFallsBackWithItsReason() {
        scores.put("libggml-cpu-haswell.so", 10);
        verdicts.put("libggml-cuda.so", ProbeVerdict.failed("the probe exited with 3: error: ggml could not load"));
        verdicts.put("libggml-vulkan.so", ProbeVerdict.failed("the probe exited with 2: error: Vulkan found no device"));

        BackendChoice choice = choose(manifest("libggml-cuda.so", "libggml-vulkan.so", "libggml-cpu-haswell.so"));

        assertEquals("cpu", choice.backend());
        assertEquals(List.of("libggml-cpu-haswell.so"), names(choice));
        assertEquals(List.of("cuda: the probe exited with 3: error: ggml could not load",
                "vulkan: the probe exited with 2: error: Vulkan found no device"), choice.skipped());
        assertTrue(choice.summary().contains("skipped cuda: "), choice.summary());
    }

    @Test
    void forcingCpuSkipsTheGpuBackendsUnprobed() {
        scores.put("libggml-cpu-haswell.so", 10);

        BackendChoice choice = choose(new BackendSettings(Optional.of("cpu"), Optional.empty(), true),
                manifest("libggml-cuda.so", "libggml-cpu-haswell.so"));

        assertEquals("cpu", choice.backend());
        assertEquals(List.of("libggml-cpu-haswell.so"), probed);
        assertEquals(List.of("cuda: -Dllama.jvm.backend=cpu"), choice.skipped());
    }

    @Test
    void forcingABackendThatIsAbsentOrFailingIsAnError() {
        scores.put("libggml-cpu-haswell.so", 10);
        verdicts.put("libggml-cuda.so", ProbeVerdict.failed("the probe exited with 3"));
        BackendSettings vulkan = new BackendSettings(Optional.of("vulkan"), Optional.empty(), true);
        BackendSettings cuda = new BackendSettings(Optional.of("cuda"), Optional.empty(), true);
        BackendSettings nonsense = new BackendSettings(Optional.of("quantum"), Optional.empty(), true);
        NativeManifest manifest = manifest("libggml-cuda.so", "libggml-cpu-haswell.so");

        String absent = assertThrows(NativeLibraryException.class, () -> choose(vulkan, manifest)).getMessage();
        String failing = assertThrows(NativeLibraryException.class, () -> choose(cuda, manifest)).getMessage();
        String unknown = assertThrows(NativeLibraryException.class, () -> choose(nonsense, manifest)).getMessage();

        assertTrue(absent.contains("has no vulkan backend") && absent.contains("vulkan classifier"), absent);
        assertTrue(failing.contains("cannot run here") && failing.contains("exited with 3"), failing);
        assertTrue(unknown.contains("cpu, cuda"), unknown);
    }

    @Test
    void probingOffTakesTheBestScoreAndTheFirstGpu() {
        scores.putAll(Map.of("libggml-cpu-haswell.so", 10, "libggml-cpu-zen4.so", 20));

        BackendChoice choice = choose(new BackendSettings(Optional.empty(), Optional.empty(), false),
                manifest("libggml-vulkan.so", "libggml-cpu-haswell.so", "libggml-cpu-zen4.so"));

        assertEquals(List.of("libggml-vulkan.so", "libggml-cpu-zen4.so"), names(choice));
        assertEquals(List.of(), probed);
    }

    @Test
    void nativesWithoutModulesUseGgmlsBuiltInCpuBackend() {
        BackendChoice choice = choose(manifest());

        assertEquals(List.of(), choice.modules());
        assertEquals(Optional.empty(), choice.cpuVariant());
    }

    @Test
    void moduleNamesAreRecognisedOnEveryPlatform() {
        assertEquals(Optional.of(new BackendModule("libggml-cpu-zen4.so", "cpu", Optional.of("zen4"))),
                BackendModule.parse("libggml-cpu-zen4.so"));
        assertEquals(Optional.of(new BackendModule("ggml-cpu-haswell.dll", "cpu", Optional.of("haswell"))),
                BackendModule.parse("ggml-cpu-haswell.dll"));
        assertEquals("cpu-armv8.2_1", BackendModule.parse("libggml-cpu-armv8.2_1.so").orElseThrow().displayName());
        assertEquals("metal", BackendModule.parse("libggml-metal.so").orElseThrow().displayName());
        assertEquals(Optional.empty(), BackendModule.parse("libggml-base.so.0"));
        assertEquals(Optional.empty(), BackendModule.parse("libggml-base.so"));
        assertEquals(Optional.empty(), BackendModule.parse("libggml.so.0"));
        assertEquals(Optional.empty(), BackendModule.parse("libllama.so.0"));
    }
}
