package dev.llamajvm.internal.engine;

import dev.llamajvm.ModelLoadException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a projector file must be before libmtmd sees it, read from its GGUF header by either
 * engine. Stateless.
 */
public final class ProjectorFileCheck {

    /** A GGUF file's tensor table, as ggml's gguf reader gives it. */
    public interface TensorTable {
        long dataOffset();
        long count();
        long offset(long i);
        long size(long i);
        String name(long i);
    }

    private ProjectorFileCheck() {}

    /**
     * A language model or some other GGUF passed as the projector would fail deep inside libmtmd's
     * loader: the file's architecture ({@code general.architecture}, "" when absent) says it up front.
     */
    public static void requireProjector(Path path, String architecture) {
        if (!architecture.equals("clip")) {
            throw new ModelLoadException(path + " is not a multimodal projector (its architecture is '"
                    + architecture + "', a projector's is 'clip'): pass the model's mmproj file");
        }
    }

    /**
     * libmtmd allocates memory for every tensor the header declares before it reads any data, and
     * does not check that allocation: a corrupt header declaring tensors larger than the file makes
     * it take gigabytes, or fail the allocation and abort the process (GGML_ASSERT(buffer)). So each
     * tensor's data must lie inside the file before libmtmd sees it.
     */
    public static void requireTensorDataInFile(Path path, TensorTable tensors) {
        long fileSize;
        try {
            fileSize = Files.size(path);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read the size of " + path + ": " + e.getMessage(), e);
        }
        long dataOffset = tensors.dataOffset();
        for (long i = 0, n = tensors.count(); i < n; i++) {
            long offset = tensors.offset(i);
            long size = tensors.size(i);
            // Unsigned in C: a negative long here is a size no file can hold.
            boolean fits = offset >= 0 && size >= 0 && dataOffset >= 0
                    && size <= fileSize && offset <= fileSize && dataOffset + offset <= fileSize - size;
            if (!fits) {
                throw new ModelLoadException(path + " is truncated or corrupt: its tensor '" + tensors.name(i)
                        + "' declares " + Long.toUnsignedString(size) + " bytes at data offset "
                        + Long.toUnsignedString(offset) + ", beyond the end of the " + fileSize + "-byte file");
            }
        }
    }
}
