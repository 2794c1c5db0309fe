package dev.llamajvm.internal.panama;

import dev.llamajvm.bindings.mtmd_h;
import dev.llamajvm.internal.engine.NativeMedia;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** An mtmd_bitmap. Freed once by {@link #close()}; the owner does not use it after. */
final class PanamaMedia implements NativeMedia {

    private final MemorySegment bitmap;
    private final String id;
    private boolean closed;

    PanamaMedia(MemorySegment bitmap) {
        this.bitmap = bitmap;
        this.id = CStrings.read(mtmd_h.mtmd_bitmap_get_id(bitmap));
    }

    MemorySegment bitmap() {
        return bitmap;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean isAudio() {
        return mtmd_h.mtmd_bitmap_is_audio(bitmap);
    }

    @Override
    public int width() {
        return mtmd_h.mtmd_bitmap_get_nx(bitmap);
    }

    @Override
    public int height() {
        return mtmd_h.mtmd_bitmap_get_ny(bitmap);
    }

    @Override
    public byte[] data() {
        long n = mtmd_h.mtmd_bitmap_get_n_bytes(bitmap);
        return mtmd_h.mtmd_bitmap_get_data(bitmap).reinterpret(n).toArray(ValueLayout.JAVA_BYTE);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            mtmd_h.mtmd_bitmap_free(bitmap);
        }
    }
}
