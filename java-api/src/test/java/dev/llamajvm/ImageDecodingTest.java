package dev.llamajvm;

import dev.llamajvm.testing.TinyVision;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The same picture reaches the projector alike whatever form it is given in: a PNG file, BMP and
 * GIF bytes, a BufferedImage and raw RGB give the same bitmap (lossless); JPEG bytes give the same
 * size and token count.
 */
class ImageDecodingTest {

    private static Projector projector;
    private static BufferedImage picture;
    private static DecodedImage expected;

    @BeforeAll
    static void load() {
        projector = TinyVision.shared();
        picture = new BufferedImage(37, 23, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 23; y++) {
            for (int x = 0; x < 37; x++) {
                // Few distinct colours, so GIF's palette holds them all exactly.
                picture.setRGB(x, y, x < 12 ? 0xFF2010 : y < 11 ? 0x10C040 : 0x2040F0);
            }
        }
        byte[] rgb = new byte[37 * 23 * 3];
        for (int i = 0; i < 37 * 23; i++) {
            int c = picture.getRGB(i % 37, i / 37);
            rgb[3 * i] = (byte) (c >> 16);
            rgb[3 * i + 1] = (byte) (c >> 8);
            rgb[3 * i + 2] = (byte) c;
        }
        expected = new DecodedImage(37, 23, rgb);
    }

    private static byte[] encoded(String format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(picture, format, out)) {
            throw new AssertionError("the JDK cannot write " + format);
        }
        return out.toByteArray();
    }

    @Test
    void losslessFormatsGiveTheSameBitmap() throws Exception {
        Path png = Files.createTempFile("decoding", ".png");
        Files.write(png, encoded("png"));
        assertEquals(expected, projector.decode(Image.of(png)), "PNG file");
        assertEquals(expected, projector.decode(Image.of(picture)), "BufferedImage");
        assertEquals(expected, projector.decode(Image.ofRgb(37, 23, expected.rgb())), "raw RGB");
        assertEquals(expected, projector.decode(Image.of(encoded("bmp"))), "BMP bytes");
        assertEquals(expected, projector.decode(Image.of(encoded("gif"))), "GIF bytes");
    }

    @Test
    void jpegGivesTheSameSizeAndTokenCount() throws Exception {
        Image jpeg = Image.of(encoded("jpeg"));
        DecodedImage decoded = projector.decode(jpeg);
        assertEquals(37, decoded.width());
        assertEquals(23, decoded.height());
        assertNotEquals(expected, decoded, "JPEG is lossy: the pixels differ a little");
        assertEquals(projector.tokenCount(Image.of(picture)), projector.tokenCount(jpeg));
    }

    @Test
    void imagesKeepWhatTheyWereGiven() {
        byte[] rgb = expected.rgb();
        Image image = Image.ofRgb(37, 23, rgb);
        rgb[0] = 99; // the image took a copy
        assertArrayEquals(expected.rgb(), image.rgb());
        assertThrows(IllegalArgumentException.class, () -> Image.ofRgb(37, 23, new byte[10]));
        assertThrows(IllegalStateException.class, image::encodedBytes);
        assertThrows(java.io.UncheckedIOException.class, () -> Image.of(Path.of("no-such-image.png")));
    }
}
