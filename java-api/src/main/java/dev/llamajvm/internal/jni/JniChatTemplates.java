package dev.llamajvm.internal.jni;

import dev.llamajvm.ChatFormatException;
import dev.llamajvm.bindings.jni.Llama;
import dev.llamajvm.internal.engine.NativeChatTemplates;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

import java.util.function.Function;

/** Chat templates held by llama-jvm's chat shim, and the shim's stateless calls. */
final class JniChatTemplates implements NativeChatTemplates {

    private final Llama.llama_jvm_chat_templates templates;
    /** The vocabulary results' token ids come from; null for a template on its own. */
    private final Llama.llama_vocab vocab;

    private JniChatTemplates(Llama.llama_jvm_chat_templates templates, Llama.llama_vocab vocab) {
        this.templates = templates;
        this.vocab = vocab;
    }

    /** A model's templates ({@code source} null) or a template on its own ({@code model} null). */
    static JniChatTemplates create(Llama.llama_model model, Llama.llama_vocab vocab, String source, String bos, String eos) {
        try (PointerPointer<BytePointer> error = new PointerPointer<>(1L);
             BytePointer sourceText = source == null ? null : JniStrings.utf8(source);
             BytePointer bosText = bos == null ? null : JniStrings.utf8(bos);
             BytePointer eosText = eos == null ? null : JniStrings.utf8(eos)) {
            error.put(0, (Pointer) null);
            Llama.llama_jvm_chat_templates made =
                    Llama.llama_jvm_chat_templates_init(model, sourceText, bosText, eosText, error);
            if (made == null || made.isNull()) {
                String reason = take(error.get(BytePointer.class, 0));
                throw new ChatFormatException("llama.cpp cannot parse the chat template: "
                        + (reason == null ? "no reason given" : reason));
            }
            return new JniChatTemplates(made, vocab);
        }
    }

    @Override
    public String describe() {
        return take(Llama.llama_jvm_chat_templates_describe(templates));
    }

    @Override
    public String apply(String requestJson) {
        return call(requestJson, request -> Llama.llama_jvm_chat_apply(templates, vocab, request));
    }

    static String parse(String requestJson) {
        return call(requestJson, Llama::llama_jvm_chat_parse);
    }

    static String jsonSchemaToGrammar(String schemaJson) {
        return call(schemaJson, Llama::llama_jvm_json_schema_to_grammar);
    }

    private static String call(String argument, Function<BytePointer, BytePointer> shim) {
        try (BytePointer text = JniStrings.utf8(argument)) {
            return take(shim.apply(text));
        }
    }

    /** Copies a string the shim allocated and frees it; null for NULL. */
    private static String take(BytePointer s) {
        if (s == null || s.isNull()) {
            return null;
        }
        try {
            return JniStrings.read(s);
        } finally {
            Llama.llama_jvm_chat_string_free(s);
        }
    }

    @Override
    public void close() {
        Llama.llama_jvm_chat_templates_free(templates);
    }
}
