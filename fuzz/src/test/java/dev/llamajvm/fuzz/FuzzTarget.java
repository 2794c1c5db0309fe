package dev.llamajvm.fuzz;

import dev.llamajvm.fuzz.targets.ChatTemplateRendering;
import dev.llamajvm.fuzz.targets.GrammarSampling;
import dev.llamajvm.fuzz.targets.ImageDecoding;
import dev.llamajvm.fuzz.targets.JsonSchemaGrammar;
import dev.llamajvm.fuzz.targets.ModelLoading;
import dev.llamajvm.fuzz.targets.ProjectorLoading;
import dev.llamajvm.fuzz.targets.ToolCallParsing;

import java.util.Arrays;
import java.util.List;

/** The fuzz targets, by the name fuzz.sh and the folders under target/ use. */
public enum FuzzTarget {
    MODEL_LOADING("model-loading", ModelLoading.class, true),
    PROJECTOR_LOADING("projector-loading", ProjectorLoading.class, true),
    IMAGE_DECODING("image-decoding", ImageDecoding.class, false),
    GRAMMAR("grammar", GrammarSampling.class, false),
    JSON_SCHEMA("json-schema", JsonSchemaGrammar.class, false),
    CHAT_TEMPLATE("chat-template", ChatTemplateRendering.class, false),
    TOOL_CALL_PARSING("tool-call-parsing", ToolCallParsing.class, false);

    private final String id;
    private final Class<?> targetClass;
    private final boolean savesDeltas;

    FuzzTarget(String id, Class<?> targetClass, boolean savesDeltas) {
        this.id = id;
        this.targetClass = targetClass;
        this.savesDeltas = savesDeltas;
    }

    /** The name on the command line and in folder names. */
    public String id() {
        return id;
    }

    /** The class holding {@code fuzzerInitialize} and {@code fuzzerTestOneInput}. */
    public Class<?> targetClass() {
        return targetClass;
    }

    /**
     * Whether its inputs are whole GGUF files: a crasher is then saved as a small delta against the
     * seed it came from ({@link SeedDelta}), never as the file itself.
     */
    public boolean savesDeltas() {
        return savesDeltas;
    }

    /** The targets named in a comma-separated list; all of them when it is blank. */
    public static List<FuzzTarget> parse(String names) {
        if (names == null || names.isBlank()) {
            return List.of(values());
        }
        return Arrays.stream(names.split("[,\\s]+")).filter(s -> !s.isBlank()).map(FuzzTarget::byId).toList();
    }

    static FuzzTarget byId(String id) {
        return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no fuzz target '" + id + "'; the targets are "
                        + Arrays.stream(values()).map(FuzzTarget::id).toList()));
    }
}
