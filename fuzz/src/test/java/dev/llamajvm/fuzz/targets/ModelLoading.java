package dev.llamajvm.fuzz.targets;

import com.code_intelligence.jazzer.api.Jazzer;
import dev.llamajvm.GenerateOptions;
import dev.llamajvm.LlamaException;
import dev.llamajvm.LlamaModel;
import dev.llamajvm.ModelOptions;
import dev.llamajvm.NativeLibraries;
import dev.llamajvm.Session;
import dev.llamajvm.SessionOptions;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A GGUF file as a model: loaded, and when it loads, tokenized and run for two tokens (hyperparameters
 * that pass the loader can still break inference). A file without tensors (llama.cpp's vocab files)
 * is loaded as a vocabulary only. Seeds: stories260K, llama.cpp's vocab files and the random-weight
 * models.
 */
public final class ModelLoading {

    private static final String TEXT = "Once upon a time, 1234 <s> \u00e9t\u00e9 \uD83E\uDD99\n\tend";
    private static InputFile file;

    private ModelLoading() {}

    public static void fuzzerInitialize() {
        NativeLibraries.load();
        file = new InputFile("model.gguf");
    }

    public static void fuzzerTestOneInput(byte[] data) {
        boolean vocabularyOnly = tensorCount(data) == 0;
        LlamaModel model;
        try {
            model = LlamaModel.load(file.write(data), ModelOptions.defaults().vocabOnly(vocabularyOnly));
        } catch (LlamaException e) {
            Outcomes.refused(1, e);
            return;
        }
        try (model) {
            int[] tokens = model.tokenizer().tokenize(TEXT);
            model.tokenizer().detokenize(tokens);
            // New token counts and model descriptions are new behaviour of the (uninstrumented) natives.
            Jazzer.exploreState((byte) tokens.length, 3);
            Jazzer.exploreState((byte) model.info().toString().hashCode(), 4);
            if (!vocabularyOnly) {
                try (Session session = model.newSession(SessionOptions.defaults().contextSize(64).threads(1))) {
                    session.complete("Once", GenerateOptions.defaults().maxTokens(2));
                }
            }
            Outcomes.accepted(model.info().toString());
        } catch (LlamaException e) {
            Outcomes.refused(2, e);
        }
    }

    /** GGUF's tensor count (bytes 8-15, after magic and version); -1 if the file is shorter. */
    private static long tensorCount(byte[] data) {
        return data.length < 16 ? -1 : ByteBuffer.wrap(data, 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
