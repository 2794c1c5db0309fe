package dev.llamajvm.internal.jni;

import org.bytedeco.javacpp.BytePointer;

import java.nio.charset.StandardCharsets;

/**
 * Strings across JNI as UTF-8 bytes. JavaCPP's String overloads convert through JNI's modified
 * UTF-8, which mangles NUL and every character outside the BMP (emoji), so they are never used.
 * Stateless.
 */
final class JniStrings {

    private JniStrings() {}

    /** A NUL-terminated UTF-8 copy of {@code s} in native memory; close it (or let it be collected). */
    static BytePointer utf8(String s) {
        return cString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code bytes} and a terminating NUL in native memory. */
    static BytePointer cString(byte[] bytes) {
        BytePointer p = new BytePointer(bytes.length + 1L);
        p.put(bytes, 0, bytes.length);
        p.put(bytes.length, (byte) 0);
        return p;
    }

    /** The NUL-terminated string at {@code p}, or "" for NULL. */
    static String read(BytePointer p) {
        return new String(bytes(p), StandardCharsets.UTF_8);
    }

    /** The bytes of the NUL-terminated string at {@code p} (empty for NULL). */
    static byte[] bytes(BytePointer p) {
        if (p == null || p.isNull()) {
            return new byte[0];
        }
        return bytes(p, BytePointer.strlen(p));
    }

    /** The first {@code length} bytes at {@code p} (our pointers keep position 0). */
    static byte[] bytes(BytePointer p, long length) {
        byte[] out = new byte[Math.toIntExact(length)];
        p.get(out, 0, out.length);
        return out;
    }
}
