package dev.llamajvm;

import java.util.Arrays;

/**
 * An image as the projector sees it before its own preprocessing: 8-bit RGB pixels, row by row
 * from the top left. Equal when size and pixels are.
 */
public record DecodedImage(int width, int height, byte[] rgb) {

    public DecodedImage {
        rgb = rgb.clone();
    }

    @Override
    public byte[] rgb() {
        return rgb.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecodedImage d && d.width == width && d.height == height && Arrays.equals(d.rgb, rgb);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(rgb);
    }

    @Override
    public String toString() {
        return "DecodedImage[" + width + "x" + height + "]";
    }
}
