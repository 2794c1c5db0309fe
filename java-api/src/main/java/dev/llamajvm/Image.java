package dev.llamajvm;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An image for a chat message. Encoded images (JPEG, PNG, BMP, GIF and the other formats of
 * libmtmd's decoder, stb_image) are decoded by the projector that reads them; pixels given
 * directly ({@link #ofRgb}, {@link #of(BufferedImage)}) are used as they are. Immutable; the
 * factories copy what they are given. Equality is identity.
 *
 * <pre>{@code
 * chat.send(Message.user("Which month sold best?", Image.of(Path.of("sales.png"))));
 * }</pre>
 */
public final class Image implements Media {

    private final byte[] encoded;
    private final int width;
    private final int height;
    private final byte[] rgb;
    private final String source;

    private Image(byte[] encoded, int width, int height, byte[] rgb, String source) {
        this.encoded = encoded;
        this.width = width;
        this.height = height;
        this.rgb = rgb;
        this.source = source;
    }

    /**
     * Reads an image file now (its bytes are decoded when the image is used).
     *
     * @throws UncheckedIOException if the file cannot be read
     */
    public static Image of(Path file) {
        try {
            return new Image(Files.readAllBytes(file), 0, 0, null, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the image " + file.toAbsolutePath(), e);
        }
    }

    /** An encoded image (the bytes of a JPEG, PNG, BMP, GIF, ... file). */
    public static Image of(byte[] encoded) {
        return new Image(encoded.clone(), 0, 0, null, encoded.length + " bytes");
    }

    /** The pixels of a {@code BufferedImage}, as 8-bit RGB (alpha is dropped). */
    public static Image of(BufferedImage image) {
        int w = image.getWidth(), h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        byte[] rgb = new byte[Math.multiplyExact(argb.length, 3)];
        for (int i = 0; i < argb.length; i++) {
            rgb[3 * i] = (byte) (argb[i] >> 16);
            rgb[3 * i + 1] = (byte) (argb[i] >> 8);
            rgb[3 * i + 2] = (byte) argb[i];
        }
        return new Image(null, w, h, rgb, "BufferedImage " + w + "x" + h);
    }

    /**
     * Raw pixels: {@code width * height} RGB triples, row by row from the top left, one byte per
     * channel.
     *
     * @throws IllegalArgumentException if the sizes do not match the data
     */
    public static Image ofRgb(int width, int height, byte[] rgb) {
        Objects.requireNonNull(rgb, "rgb");
        if (width < 1 || height < 1 || (long) width * height * 3 != rgb.length) {
            throw new IllegalArgumentException("an RGB image of " + width + "x" + height + " needs "
                    + (long) Math.max(width, 0) * Math.max(height, 0) * 3 + " bytes, got " + rgb.length);
        }
        return new Image(null, width, height, rgb.clone(), "RGB " + width + "x" + height);
    }

    /** Whether this image is encoded (decoded by the projector) rather than given as pixels. */
    public boolean isEncoded() {
        return encoded != null;
    }

    /** The encoded bytes (a copy); only for {@link #isEncoded() encoded} images. */
    public byte[] encodedBytes() {
        requireForm(true);
        return encoded.clone();
    }

    /** The pixel width; only for images given as pixels. */
    public int width() {
        requireForm(false);
        return width;
    }

    /** The pixel height; only for images given as pixels. */
    public int height() {
        requireForm(false);
        return height;
    }

    /** The RGB bytes (a copy); only for images given as pixels. */
    public byte[] rgb() {
        requireForm(false);
        return rgb.clone();
    }

    /** Size in bytes of what this image holds (encoded or pixels), without copying it. */
    long byteSize() {
        return encoded != null ? encoded.length : rgb.length;
    }

    /** The data itself, for the engine (never handed to users). */
    byte[] data() {
        return encoded != null ? encoded : rgb;
    }

    private void requireForm(boolean wantEncoded) {
        if (isEncoded() != wantEncoded) {
            throw new IllegalStateException("this image is " + (isEncoded() ? "encoded" : "given as pixels"));
        }
    }

    @Override
    public String toString() {
        return "Image[" + source + "]";
    }
}
