package dev.llamajvm.internal;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Sizes read from headers, before any decoder allocates pixels. */
class ImageHeaderTest {

    /** SOI, an APP0 segment of 16 bytes, then SOF0 of a 300 x 200 image. */
    private static final int[] JPEG_START = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1,
            0, 1, 0, 0};
    private static final int[] SOF0_300_BY_200 = {0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0xC8, 0x01, 0x2C, 0x03,
            1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1};

    @Test
    void jpegSizeComesFromItsStartOfFrame() {
        assertEquals(Optional.of(new ImageHeader.Size(300, 200)), ImageHeader.read(bytes(JPEG_START, SOF0_300_BY_200)));
    }

    /**
     * stb_image skips bytes between segments that are not a marker; a check that stopped there let
     * a 33285 x 16992 JPEG reach the decoder (found by the image-decoding fuzz target).
     */
    @Test
    void junkBetweenJpegSegmentsIsSkippedAsTheDecoderSkipsIt() {
        int[] junk = {0x3C, 0x5C, 0x23, 0x9E};
        assertEquals(Optional.of(new ImageHeader.Size(300, 200)),
                ImageHeader.read(bytes(JPEG_START, junk, SOF0_300_BY_200)));
    }

    @Test
    void pngSizeComesFromItsHeaderChunk() {
        int[] png = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                0, 1, 0x86, 0xA0, 0, 0, 0, 7};
        assertEquals(Optional.of(new ImageHeader.Size(100_000, 7)), ImageHeader.read(bytes(png)));
    }

    private static byte[] bytes(int[]... parts) {
        int length = 0;
        for (int[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int i = 0;
        for (int[] p : parts) {
            for (int v : p) {
                out[i++] = (byte) v;
            }
        }
        return out;
    }
}
