package dev.llamajvm.fuzz.targets;

import dev.llamajvm.ChatOptions;
import dev.llamajvm.ChatSession;
import dev.llamajvm.Format;
import dev.llamajvm.GenerateOptions;
import dev.llamajvm.LlamaException;
import dev.llamajvm.LlamaModel;
import dev.llamajvm.SessionOptions;
import dev.llamajvm.TurnOptions;
import dev.llamajvm.fuzz.FuzzModels;

import java.nio.charset.StandardCharsets;

/**
 * Text as a JSON schema for a chat reply ({@link Format#jsonSchema(String)}): turned into a grammar by
 * llama.cpp's converter, rendered into the prompt by the model's template, and used for a few tokens.
 * Seeds: the schemas in this module's resources.
 */
public final class JsonSchemaGrammar {

    private static LlamaModel model;

    private JsonSchemaGrammar() {}

    public static void fuzzerInitialize() {
        model = LlamaModel.load(FuzzModels.llama());
    }

    public static void fuzzerTestOneInput(byte[] data) {
        String schema = new String(data, StandardCharsets.UTF_8);
        TurnOptions turn = TurnOptions.withFormat(Format.jsonSchema(schema))
                .generate(GenerateOptions.defaults().maxTokens(4));
        try (ChatSession chat = model.newChat(ChatOptions.defaults()
                .session(SessionOptions.defaults().contextSize(512).threads(1)))) {
            Outcomes.accepted(chat.send("Fill it in", turn).text());
        } catch (LlamaException e) {
            Outcomes.refused(1, e);
        }
    }
}
