package dev.llamajvm.internal.panama;

import dev.llamajvm.MemoryEstimate;
import dev.llamajvm.ModelOptions;
import dev.llamajvm.NativeLibraries;
import dev.llamajvm.SessionOptions;
import dev.llamajvm.NativeRuntime;
import dev.llamajvm.bindings.ggml_backend_h;
import dev.llamajvm.bindings.llama_h;
import dev.llamajvm.internal.engine.DeviceTypes;
import dev.llamajvm.internal.engine.Engine;
import dev.llamajvm.internal.engine.NativeChatTemplates;
import dev.llamajvm.internal.engine.NativeModel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
    public List<NativeRuntime.Device> devices() {
        List<NativeRuntime.Device> devices = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment free = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment total = arena.allocate(ValueLayout.JAVA_LONG);
            for (long i = 0, n = ggml_backend_h.ggml_backend_dev_count(); i < n; i++) {
                MemorySegment device = ggml_backend_h.ggml_backend_dev_get(i);
                ggml_backend_h.ggml_backend_dev_memory(device, free, total);
                devices.add(new NativeRuntime.Device(
                        CStrings.read(ggml_backend_h.ggml_backend_dev_name(device)),
                        CStrings.read(ggml_backend_h.ggml_backend_dev_description(device)),
                        DeviceTypes.name(ggml_backend_h.ggml_backend_dev_type(device)),
                        free.get(ValueLayout.JAVA_LONG, 0), total.get(ValueLayout.JAVA_LONG, 0)));
            }
        }
        return devices;
    }

    @Override
    public String jsonSchemaToGrammar(String schemaJson) {
        return PanamaChatTemplates.jsonSchemaToGrammar(schemaJson);
    }
}
