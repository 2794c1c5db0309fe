package dev.llamajvm.internal.engine;

import dev.llamajvm.MemoryEstimate;
import dev.llamajvm.ModelOptions;
import dev.llamajvm.NativeRuntime;
import dev.llamajvm.SessionOptions;

import java.nio.file.Path;
import java.util.List;

/**
 * The seam between the public API and a way of calling llama.cpp: the Panama implementation
 * (Java 22+) today, a JNI one for Java 17-21 later. Everything below this interface may be native
 * and unsafe; everything above it is plain Java. One instance per JVM; thread-safe.
 */
public interface Engine {

    /** Loads a GGUF model; throws {@link dev.llamajvm.ModelLoadException} with llama.cpp's reason. */
    NativeModel loadModel(Path path, ModelOptions options);

    /**
     * llama.cpp's account of what loading the model and opening one context would allocate, made
     * with a model loaded with {@code no_alloc}: nothing is allocated. Throws
     * {@link dev.llamajvm.ModelLoadException} when the file cannot be read, a
     * {@link dev.llamajvm.LlamaException} when llama.cpp refuses the context.
     */
    MemoryEstimate estimateMemory(Path path, ModelOptions model, SessionOptions session);

    /**
     * Parses a Jinja chat template on its own; {@code bos} and {@code eos} are the strings it sees as
     * bos_token and eos_token. Throws {@link dev.llamajvm.ChatFormatException} with the reason.
     */
    NativeChatTemplates chatTemplates(String source, String bos, String eos);

    /** Parses a model's raw output: llama_jvm_chat_parse's request and result. */
    String parseChat(String requestJson);

    /** llama_jvm_json_schema_to_grammar's result for a schema. */
    String jsonSchemaToGrammar(String schemaJson);

    /** The devices ggml registered (the chosen GPU backend's, then the CPU), with their memory. */
    List<NativeRuntime.Device> devices();

    /** The engine of this JVM, loading the natives on first use. */
    static Engine get() {
        return Engines.current();
    }
}
