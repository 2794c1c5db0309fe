package dev.llamajvm.internal.backend;

import dev.llamajvm.internal.Sha256;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The verdicts on CPU variants probed on this machine since it booted, kept in
 * {@code <cache>/probes/cpu-<fingerprint>.properties} so that each variant is probed once per boot,
 * not once per JVM start. The fingerprint covers the machine's identity and boot (two VMs with the
 * same processor model may differ in what their hypervisor lets them run, and a VM may move between
 * boots), the processor (vendor, model, flags) and the kernel. A cache folder shared between
 * machines (a network home) keeps one file per machine. Keys name the module and probe builds by
 * hash. Only lasting outcomes are kept ({@link ProbeVerdict#lasting()}).
 *
 * <p>GPU backends are not kept here: a driver installed later must be found on the next start.
 *
 * <p>Thread-safe. Between JVMs, the last writer wins; a lost verdict costs one more probe.
 */
public final class ProbeVerdicts {

    private static final String PASSED = "passed";
    private static final String FAILED_PREFIX = "failed: ";

    private final Path file;

    ProbeVerdicts(Path file) {
        this.file = file;
    }

    /** The verdicts of this machine under the cache root. */
    public static ProbeVerdicts forThisMachine(Path cacheDir) {
        return new ProbeVerdicts(cacheDir.resolve("probes").resolve("cpu-" + machineFingerprint() + ".properties"));
    }

    /** The file the verdicts live in. */
    public Path file() {
        return file;
    }

    /** The verdict kept under {@code key}, if any. */
    public synchronized Optional<ProbeVerdict> get(String key) {
        String value = read().getProperty(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value.equals(PASSED)) {
            return Optional.of(ProbeVerdict.PASSED);
        }
        return Optional.of(ProbeVerdict.failed(value.startsWith(FAILED_PREFIX)
                ? value.substring(FAILED_PREFIX.length()) : value));
    }

    /**
     * Keeps a verdict. Best effort: a cache that cannot be written means probing again next start.
     *
     * @return whether it was written
     */
    public synchronized boolean put(String key, ProbeVerdict verdict) {
        Properties all = read();
        all.setProperty(key, verdict.passed() ? PASSED : FAILED_PREFIX + verdict.reason());
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), ".verdicts", ".part");
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                all.store(out, "llama-jvm: CPU variant probe verdicts for one machine (delete to probe again)");
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    private Properties read() {
        Properties all = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            all.load(in);
        } catch (NoSuchFileException e) {
            // Nothing probed on this machine yet.
        } catch (IOException | IllegalArgumentException e) {
            // Unreadable or garbled: probe again and rewrite it.
            all.clear();
        }
        return all;
    }

    /** 16 hex digits standing for this processor and kernel. */
    static String machineFingerprint() {
        StringBuilder facts = new StringBuilder()
                .append(System.getProperty("os.name")).append('\n')
                .append(System.getProperty("os.arch")).append('\n')
                .append(System.getProperty("os.version")).append('\n');
        cpuInfo().forEach(line -> facts.append(line).append('\n'));
        // Linux: which machine, and which boot of it (both absent elsewhere: the host name stands in).
        for (String file : List.of("/etc/machine-id", "/proc/sys/kernel/random/boot_id")) {
            facts.append(firstLine(Path.of(file))).append('\n');
        }
        facts.append(System.getenv().getOrDefault("HOSTNAME", System.getenv().getOrDefault("COMPUTERNAME", "")));
        return Sha256.of(facts.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    private static String firstLine(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.findFirst().orElse("");
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    // Linux: the first processor's identity and flags (every core of one machine reports the same).
    private static List<String> cpuInfo() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.takeWhile(line -> !line.isBlank())
                    .filter(line -> line.startsWith("vendor_id") || line.startsWith("model name")
                            || line.startsWith("flags") || line.startsWith("Features") || line.startsWith("CPU part"))
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }
}
