package dev.llamajvm.internal.panama;

import dev.llamajvm.MemoryEstimate;
import dev.llamajvm.ModelOptions;
import dev.llamajvm.NativeLibraries;
import dev.llamajvm.SessionOptions;
import dev.llamajvm.bindings.llama_h;
import dev.llamajvm.internal.engine.Engine;
import dev.llamajvm.internal.engine.NativeChatTemplates;
import dev.llamajvm.internal.engine.NativeModel;

import java.lang.foreign.MemorySegment;

import java.nio.file.Path;

/** The engine over the generated Panama bindings (Java 22+). Created once, by reflection. */
public final class PanamaEngine implements Engine {

    public PanamaEngine() {
        NativeLibraries.load(); // a clean NativeLibraryException here, before any binding initialises
        llama_h.llama_backend_init();
    }

    @Override
    public NativeModel loadModel(Path path, ModelOptions options) {
        return PanamaModel.load(path, options);
    }

    @Override
    public MemoryEstimate estimateMemory(Path path, ModelOptions model, SessionOptions session) {
        return PanamaMemoryEstimate.of(path, model, session);
    }

    @Override
    public NativeChatTemplates chatTemplates(String source, String bos, String eos) {
        return PanamaChatTemplates.create(MemorySegment.NULL, MemorySegment.NULL, source, bos, eos);
    }

    @Override
    public String parseChat(String requestJson) {
        return PanamaChatTemplates.parse(requestJson);
    }

    @Override
    public String jsonSchemaToGrammar(String schemaJson) {
        return PanamaChatTemplates.jsonSchemaToGrammar(schemaJson);
    }
}
