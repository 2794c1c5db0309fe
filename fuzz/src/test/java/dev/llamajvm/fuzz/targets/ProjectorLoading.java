package dev.llamajvm.fuzz.targets;

import dev.llamajvm.Image;
import dev.llamajvm.LlamaException;
import dev.llamajvm.LlamaModel;
import dev.llamajvm.Projector;
import dev.llamajvm.ProjectorOptions;
import dev.llamajvm.fuzz.FuzzModels;

/**
 * A GGUF file as a multimodal projector of the random-weight text model: loaded, and when it
 * loads, asked how many tokens a small image takes (preprocessing with the file's image sizes).
 * Seeds: the random-weight MLP and Qwen2-VL projectors.
 */
public final class ProjectorLoading {

    private static LlamaModel model;
    private static InputFile file;

    private ProjectorLoading() {}

    public static void fuzzerInitialize() {
        model = LlamaModel.load(FuzzModels.llama());
        file = new InputFile("mmproj.gguf");
    }

    public static void fuzzerTestOneInput(byte[] data) {
        Projector projector;
        try {
            projector = model.loadProjector(file.write(data), ProjectorOptions.defaults().threads(1).warmup(false));
        } catch (LlamaException e) {
            Outcomes.refused(1, e);
            return;
        }
        try (projector) {
            projector.tokenCount(Image.ofRgb(20, 12, new byte[20 * 12 * 3]));
            Outcomes.accepted(projector.toString());
        } catch (LlamaException e) {
            Outcomes.refused(2, e);
        }
    }
}
