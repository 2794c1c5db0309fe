package dev.llamajvm.internal.jni;

import dev.llamajvm.MemoryEstimate;
import dev.llamajvm.ModelOptions;
import dev.llamajvm.NativeRuntime;
import dev.llamajvm.SessionOptions;
import dev.llamajvm.bindings.jni.Llama;
import dev.llamajvm.internal.engine.DeviceTypes;
import dev.llamajvm.internal.engine.Engine;
import dev.llamajvm.internal.engine.NativeChatTemplates;
import dev.llamajvm.internal.engine.NativeModel;
import org.bytedeco.javacpp.SizeTPointer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine over the JNI bindings JavaCPP generated (any Java from 17 on). Created once, by
 * {@link dev.llamajvm.internal.engine.Engines}; behaves as the Panama engine does.
 */
public final class JniEngine implements Engine {

    public JniEngine() {
        JniRuntime.load(); // a clean NativeLibraryException here, before any binding is used
    }

    @Override
    public NativeModel loadModel(Path path, ModelOptions options) {
        return JniModel.load(path, options);
    }

    @Override
    public MemoryEstimate estimateMemory(Path path, ModelOptions model, SessionOptions session) {
        return JniMemoryEstimate.of(path, model, session);
    }

    @Override
    public NativeChatTemplates chatTemplates(String source, String bos, String eos) {
        return JniChatTemplates.create(null, null, source, bos, eos);
    }

    @Override
    public String parseChat(String requestJson) {
        return JniChatTemplates.parse(requestJson);
    }

    @Override
    public String jsonSchemaToGrammar(String schemaJson) {
        return JniChatTemplates.jsonSchemaToGrammar(schemaJson);
    }

    @Override
    public List<NativeRuntime.Device> devices() {
        List<NativeRuntime.Device> devices = new ArrayList<>();
        try (SizeTPointer free = new SizeTPointer(1L); SizeTPointer total = new SizeTPointer(1L)) {
            for (long i = 0, n = Llama.ggml_backend_dev_count(); i < n; i++) {
                Llama.ggml_backend_device device = Llama.ggml_backend_dev_get(i);
                Llama.ggml_backend_dev_memory(device, free, total);
                devices.add(new NativeRuntime.Device(
                        JniStrings.read(Llama.ggml_backend_dev_name(device)),
                        JniStrings.read(Llama.ggml_backend_dev_description(device)),
                        DeviceTypes.name(Llama.ggml_backend_dev_type(device)),
                        free.get(0), total.get(0)));
            }
        }
        return devices;
    }
}
