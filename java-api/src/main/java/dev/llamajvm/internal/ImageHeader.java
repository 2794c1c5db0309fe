package dev.llamajvm.internal;

import java.util.Optional;

/**
 * Reads an encoded image's size from its header, without decoding it, for the formats where the
 * header says it plainly (PNG, GIF, BMP, JPEG): a size limit must hold before a decoder allocates
 * width times height pixels. Other formats are checked after decoding.
 */
public final class ImageHeader {

    /** Width and height in pixels. */
    public record Size(long width, long height) {
        public long pixels() {
            return width * height;
        }
    }

    private ImageHeader() {}

    public static Optional<Size> read(byte[] b) {
        if (startsWith(b, 0x89, 'P', 'N', 'G') && b.length >= 24) {
            return Optional.of(new Size(u32be(b, 16), u32be(b, 20)));
        }
        if (startsWith(b, 'G', 'I', 'F') && b.length >= 10) {
            return Optional.of(new Size(u16le(b, 6), u16le(b, 8)));
        }
        if (startsWith(b, 'B', 'M') && b.length >= 26) {
            return Optional.of(new Size(Math.abs((long) (int) u32le(b, 18)), Math.abs((long) (int) u32le(b, 22))));
        }
        if (startsWith(b, 0xFF, 0xD8)) {
            return jpeg(b);
        }
        return Optional.empty();
    }

    /**
     * Walks the JPEG segments to the first start-of-frame marker, which holds the size. Bytes
     * between segments that are not a marker are skipped one by one, as stb_image (libmtmd's
     * decoder) skips them: stopping there would let the decoder find a frame this check never saw.
     */
    private static Optional<Size> jpeg(byte[] b) {
        int i = 2;
        while (i + 9 < b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                i++;
                continue;
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) { // fill byte
                i++;
                continue;
            }
            boolean startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (startOfFrame) {
                return Optional.of(new Size(u16be(b, i + 7), u16be(b, i + 5)));
            }
            i += 2 + (int) u16be(b, i + 2);
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] b, int... magic) {
        if (b.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((b[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static long u16be(byte[] b, int at) {
        return ((b[at] & 0xFFL) << 8) | (b[at + 1] & 0xFFL);
    }

    private static long u16le(byte[] b, int at) {
        return (b[at] & 0xFFL) | ((b[at + 1] & 0xFFL) << 8);
    }

    private static long u32be(byte[] b, int at) {
        return (u16be(b, at) << 16) | u16be(b, at + 2);
    }

    private static long u32le(byte[] b, int at) {
        return u16le(b, at) | (u16le(b, at + 2) << 16);
    }
}
