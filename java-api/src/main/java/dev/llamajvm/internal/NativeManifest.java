package dev.llamajvm.internal;

import dev.llamajvm.NativeLibraryException;
import dev.llamajvm.internal.backend.BackendModule;
import dev.llamajvm.internal.backend.BackendSelector;
import dev.llamajvm.internal.backend.ProbeProgram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsed {@value #FILE_NAME} of one natives build: its files in load order, each with the
 * SHA-256 it must have.
 *
 * <p>The file is exactly {@code sha256sum} output ({@code <64 hex>  <name>}, or {@code <64 hex> *<name>}
 * in binary mode), so the native build writes it with one command and anyone can check a folder
 * with {@code sha256sum -c natives.list}. Immutable; any thread may use it.
 *
 * @param entries the listed files, in load order; never empty
 */
public record NativeManifest(List<Entry> entries) {

    /** The manifest's file name, in a natives folder and in a natives jar's resource folder. */
    public static final String FILE_NAME = "natives.list";

    /** The CUDA runtime and cuBLAS, as Linux and Windows name them. */
    private static final Pattern MODULE_DEPENDENCY =
            Pattern.compile("(lib)?(cudart|cublas|cublasLt)(64_[0-9]+)?\\.(so(\\.[0-9]+)*|dll)");

    /** The JNI glue as each platform names a library. */
    private static final Pattern JNI_GLUE = Pattern.compile("(lib)?jnillamajvm\\.(so|dylib|dll)");

    // sha256sum: hash, one space, then ' ' (text mode) or '*' (binary mode), then the name.
    private static final Pattern LINE = Pattern.compile("([0-9a-fA-F]{64}) [ *](.+)");

    /**
     * One listed file.
     *
     * @param sha256 lower-case hex SHA-256 of the file's bytes
     * @param fileName a plain file name, no folder part
     */
    public record Entry(String sha256, String fileName) {

        /**
         * Whether this is one of ggml's backend modules ({@code libggml-cpu-haswell.so},
         * {@code libggml-vulkan.so}): plugins registered with ggml after the libraries are loaded,
         * one CPU variant and at most one GPU backend, as {@link BackendSelector} decides. Loading
         * them all would load every variant, including ones whose instructions this CPU lacks.
         */
        public boolean isBackendModule() {
            return BackendModule.parse(fileName).isPresent();
        }

        /**
         * Whether this is a library a GPU backend module needs and the jar carries beside it (the CUDA
         * runtime and cuBLAS): the module's loader finds it through its RUNPATH. Loading it into
         * every JVM would map hundreds of MB even where the CPU computes.
         */
        public boolean isModuleDependency() {
            return MODULE_DEPENDENCY.matcher(fileName).matches();
        }

        /**
         * Whether this is the JNI engine's glue ({@code libjnillamajvm.so}): the JNI engine loads it
         * itself, after the libraries; the Panama engine never does (its JNI_OnLoad needs JavaCPP).
         */
        public boolean isJniGlue() {
            return JNI_GLUE.matcher(fileName).matches();
        }

        /** Whether this is a program run beside the JVM (the backend probe), never loaded into it. */
        public boolean isProgram() {
            return ProbeProgram.isProgram(fileName);
        }
    }

    public NativeManifest {
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a natives manifest lists at least one file");
        }
    }

    /**
     * The files to hand to {@link System#load}, in order: all but backend modules, their
     * dependencies, programs and the JNI glue.
     */
    public List<Entry> librariesToLoad() {
        return entries.stream()
                .filter(e -> !e.isBackendModule() && !e.isModuleDependency() && !e.isProgram() && !e.isJniGlue())
                .toList();
    }

    /** The JNI engine's glue, if these natives carry one. */
    public Optional<Entry> jniGlue() {
        return entries.stream().filter(Entry::isJniGlue).findFirst();
    }

    /** Reads {@value #FILE_NAME} from a natives folder. */
    public static NativeManifest read(Path folder) {
        Path file = folder.resolve(FILE_NAME);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new NativeLibraryException(file + " does not exist; a natives folder holds "
                    + FILE_NAME + " and the files it lists", e);
        } catch (IOException e) {
            throw new NativeLibraryException("could not read " + file + ": " + e, e);
        }
        return parse(text, file.toString());
    }

    /**
     * Parses manifest text.
     *
     * @param source where the text came from, for error messages
     * @throws NativeLibraryException naming the source, line and text of the first malformed line
     */
    public static NativeManifest parse(String text, String source) {
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            // Tolerate a manifest written on Windows; sha256sum itself never writes '\r'.
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isBlank()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw malformed(source, i, line, "expected '<64 hex sha256>  <file name>' as sha256sum prints it");
            }
            String name = m.group(2);
            String problem = checkFileName(name);
            if (problem != null) {
                throw malformed(source, i, line, "file name '" + name + "' " + problem);
            }
            if (!seen.add(name)) {
                throw malformed(source, i, line, "file name '" + name + "' is listed twice");
            }
            entries.add(new Entry(m.group(1).toLowerCase(Locale.ROOT), name));
        }
        if (entries.isEmpty()) {
            throw new NativeLibraryException("malformed " + FILE_NAME + " (" + source + "): it lists no files");
        }
        return new NativeManifest(entries);
    }

    /**
     * Why a name cannot be a natives file name, or null if it can. Names become paths in the cache
     * folder, so anything that could leave that folder (a jar is untrusted input) is refused, and so
     * are hidden names, which the extractor keeps for its lock and temp files.
     */
    private static String checkFileName(String name) {
        if (name.contains("/") || name.contains("\\")) {
            return "has a folder part";
        }
        if (name.startsWith(".")) {
            return "starts with '.'";
        }
        if (!name.strip().equals(name)) {
            return "has leading or trailing white space";
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            return "has a control character";
        }
        return null;
    }

    private static NativeLibraryException malformed(String source, int index, String line, String why) {
        return new NativeLibraryException("malformed " + FILE_NAME + " (" + source + ") line "
                + (index + 1) + ": '" + line + "': " + why);
    }
}
