package dev.llamajvm.internal;

import dev.llamajvm.NativeLibraries;
import dev.llamajvm.NativeLibraryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Copies one platform's natives from the classpath into a versioned cache folder,
 * {@code <cacheDir>/natives/<classifier>-<first 16 hex of the manifest's SHA-256>}.
 *
 * <p>The folder name changes whenever any file changes (the manifest holds every file's hash), so
 * two versions never share a folder and a loaded library is never overwritten under a running JVM.
 * A file is written only when it is missing or its hash differs from the manifest's, so a warm
 * start reads but never writes; a copy of the manifest goes beside the files. Writers hold a {@link FileLock} on the folder's lock file and write
 * each file to a temp name first, then rename it into place, so a reader never sees half a file.
 *
 * <p>Thread-safe: any thread may call {@link #extract}; calls for the same folder, from this JVM or
 * another, take turns.
 */
public final class NativeExtractor {

    /** The lock file in each cache folder; hidden so it can never clash with a listed file. */
    static final String LOCK_FILE = ".lock";

    /**
     * FileLock guards against other processes only: within one JVM a second lock on the same file
     * throws OverlappingFileLockException. So threads of this JVM first queue on a monitor per folder.
     */
    private static final ConcurrentMap<Path, Object> FOLDER_MONITORS = new ConcurrentHashMap<>();

    private final ClassLoader resources;
    private final Path cacheDir;
    private final LoaderLog log;

    /**
     * The outcome of one extraction.
     *
     * @param folder the folder holding the manifest's files
     * @param manifest the manifest read from the classpath
     * @param written names of the files this call wrote (empty on a warm start)
     */
    public record Extraction(Path folder, NativeManifest manifest, List<String> written) {
        public Extraction {
            written = List.copyOf(written);
        }
    }

    /**
     * @param resources where the natives jar's resources are looked up
     * @param cacheDir the cache root ({@code llama.jvm.cache.dir})
     * @param log where steps are logged
     */
    NativeExtractor(ClassLoader resources, Path cacheDir, LoaderLog log) {
        this.resources = resources;
        this.cacheDir = cacheDir;
        this.log = log;
    }

    /** The classpath folder of a classifier's natives, with a trailing slash. */
    public static String resourceFolder(String classifier) {
        return "dev/llamajvm/natives/" + classifier + "/";
    }

    /** The classpath resource of a classifier's manifest. */
    public static String manifestResource(String classifier) {
        return resourceFolder(classifier) + NativeManifest.FILE_NAME;
    }

    /**
     * Extracts the natives of {@code classifier} (if needed) and says where they are.
     *
     * @throws NativeLibraryException if the classpath lacks them, the manifest is malformed, a
     *     listed file is missing or does not match its hash, or the cache folder cannot be written
     */
    public Extraction extract(String classifier) {
        String manifestName = manifestResource(classifier);
        byte[] manifestBytes = readManifest(manifestName);
        NativeManifest manifest = NativeManifest.parse(
                new String(manifestBytes, StandardCharsets.UTF_8), "classpath:" + manifestName);
        Path folder = cacheDir.resolve("natives")
                .resolve(classifier + "-" + Sha256.of(manifestBytes).substring(0, 16))
                .toAbsolutePath().normalize();
        log.step(() -> "extracting " + manifest.entries().size() + " files of " + classifier + " into " + folder);
        try {
            Files.createDirectories(folder);
            synchronized (FOLDER_MONITORS.computeIfAbsent(folder, k -> new Object())) {
                try (FileChannel channel = FileChannel.open(folder.resolve(LOCK_FILE),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    // Blocks while another JVM extracts; closing the channel releases it.
                    FileLock unused = channel.lock();
                    List<String> written = new ArrayList<>();
                    for (NativeManifest.Entry entry : manifest.entries()) {
                        if (extractOne(classifier, folder, entry)) {
                            written.add(entry.fileName());
                        }
                        if (entry.isProgram()) {
                            makeExecutable(folder.resolve(entry.fileName()));
                        }
                    }
                    writeManifest(folder, manifestBytes);
                    return new Extraction(folder, manifest, written);
                }
            }
        } catch (IOException e) {
            throw new NativeLibraryException("could not extract the " + classifier + " natives into " + folder
                    + ": " + e + " (set -D" + NativeLibraries.CACHE_DIR_PROPERTY
                    + "=<writable folder> to extract elsewhere)", e);
        }
    }

    private byte[] readManifest(String name) {
        try (InputStream in = resources.getResourceAsStream(name)) {
            if (in == null) {
                throw new NativeLibraryException("no " + name + " on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new NativeLibraryException("could not read " + name + " from the classpath: " + e, e);
        }
    }

    /** Makes one file match the manifest; true if it had to be written. Caller holds the lock. */
    private boolean extractOne(String classifier, Path folder, NativeManifest.Entry entry) throws IOException {
        Path target = folder.resolve(entry.fileName());
        if (Files.isRegularFile(target) && Sha256.of(target).equals(entry.sha256())) {
            log.step(() -> "up to date: " + target);
            return false;
        }
        String resource = resourceFolder(classifier) + entry.fileName();
        // Only lock holders write here, so a fixed temp name is safe, and a JVM killed mid-copy leaves
        // at most one stale temp file per library, overwritten next time.
        Path temp = folder.resolve("." + entry.fileName() + ".part");
        String actual;
        try (InputStream in = resources.getResourceAsStream(resource)) {
            if (in == null) {
                throw new NativeLibraryException(entry.fileName() + " is listed in classpath:"
                        + manifestResource(classifier) + " but classpath:" + resource + " does not exist");
            }
            MessageDigest digest = Sha256.newDigest();
            try (OutputStream out = Files.newOutputStream(temp)) {
                new DigestInputStream(in, digest).transferTo(out);
            }
            actual = Sha256.hex(digest.digest());
        }
        if (!actual.equals(entry.sha256())) {
            Files.deleteIfExists(temp);
            throw new NativeLibraryException(entry.fileName() + " does not match its hash in classpath:"
                    + manifestResource(classifier) + " (expected " + entry.sha256() + ", the jar holds "
                    + actual + "): the natives jar is corrupt or was assembled from two builds");
        }
        // No fsync: if power fails before the data reaches the disk, the next start sees a hash
        // mismatch and writes the file again.
        moveIntoPlace(temp, target);
        log.step(() -> "extracted " + target);
        return true;
    }

    /**
     * Puts the manifest beside the files, which makes the folder usable as
     * {@code llama.jvm.library.path} and checkable with {@code sha256sum -c}. Written last, so a
     * folder with a manifest was once complete. Caller holds the lock.
     */
    private void writeManifest(Path folder, byte[] manifestBytes) throws IOException {
        Path target = folder.resolve(NativeManifest.FILE_NAME);
        if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), manifestBytes)) {
            return;
        }
        Path temp = folder.resolve("." + NativeManifest.FILE_NAME + ".part");
        Files.write(temp, manifestBytes);
        moveIntoPlace(temp, target);
    }

    /** Jar entries carry no file modes: the probe program gets its execute bit here. */
    private static void makeExecutable(Path program) throws IOException {
        if (!program.toFile().canExecute() && !program.toFile().setExecutable(true, false)) {
            throw new IOException("could not make " + program + " executable");
        }
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            // rename(2) replaces the target atomically: a concurrent reader sees the old or the new file.
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
