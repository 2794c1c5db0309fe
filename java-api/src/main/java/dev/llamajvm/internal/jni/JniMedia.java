package dev.llamajvm.internal.jni;

import dev.llamajvm.bindings.jni.Llama;
import dev.llamajvm.internal.engine.NativeMedia;

/** An mtmd_bitmap. Freed once by {@link #close()}; the owner does not use it after. */
final class JniMedia implements NativeMedia {

    private final Llama.mtmd_bitmap bitmap;
    private final String id;
    private boolean closed;

    JniMedia(Llama.mtmd_bitmap bitmap) {
        this.bitmap = bitmap;
        this.id = JniStrings.read(Llama.mtmd_bitmap_get_id(bitmap));
    }

    Llama.mtmd_bitmap bitmap() {
        return bitmap;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean isAudio() {
        return Llama.mtmd_bitmap_is_audio(bitmap);
    }

    @Override
    public int width() {
        return Llama.mtmd_bitmap_get_nx(bitmap);
    }

    @Override
    public int height() {
        return Llama.mtmd_bitmap_get_ny(bitmap);
    }

    @Override
    public byte[] data() {
        return JniStrings.bytes(Llama.mtmd_bitmap_get_data(bitmap), Llama.mtmd_bitmap_get_n_bytes(bitmap));
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Llama.mtmd_bitmap_free(bitmap);
        }
    }
}
