package dev.llamajvm.fuzz.targets;

import dev.llamajvm.DecodedImage;
import dev.llamajvm.Image;
import dev.llamajvm.LlamaModel;
import dev.llamajvm.Projector;
import dev.llamajvm.ProjectorOptions;
import dev.llamajvm.LlamaException;
import dev.llamajvm.fuzz.FuzzModels;

/**
 * Bytes as an encoded image (PNG, JPEG, BMP, GIF, PNM, ...), decoded by libmtmd through a projector,
 * then counted in tokens (the projector's preprocessing of what was decoded). Seeds: small images of
 * each format, made at run time.
 */
public final class ImageDecoding {

    private static Projector projector;

    private ImageDecoding() {}

    public static void fuzzerInitialize() {
        LlamaModel model = LlamaModel.load(FuzzModels.llama());
        projector = model.loadProjector(FuzzModels.mlpProjector(), ProjectorOptions.defaults().threads(1).warmup(false));
    }

    public static void fuzzerTestOneInput(byte[] data) {
        try {
            DecodedImage decoded = projector.decode(Image.of(data));
            projector.tokenCount(Image.of(data));
            Outcomes.accepted(decoded.toString());
        } catch (LlamaException e) {
            Outcomes.refused(1, e);
        }
    }
}
