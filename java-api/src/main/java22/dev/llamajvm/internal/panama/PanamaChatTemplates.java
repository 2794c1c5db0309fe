package dev.llamajvm.internal.panama;

import dev.llamajvm.ChatFormatException;
import dev.llamajvm.bindings.llama_jvm_chat_h;
import dev.llamajvm.internal.engine.NativeChatTemplates;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.Function;

/** Chat templates held by llama-jvm's chat shim, and the shim's stateless calls. */
final class PanamaChatTemplates implements NativeChatTemplates {

    private final MemorySegment templates;
    /** The vocabulary results' token ids come from; NULL for a template on its own. */
    private final MemorySegment vocab;

    private PanamaChatTemplates(MemorySegment templates, MemorySegment vocab) {
        this.templates = templates;
        this.vocab = vocab;
    }

    /** A model's templates ({@code source} null) or a template on its own ({@code model} NULL). */
    static PanamaChatTemplates create(MemorySegment model, MemorySegment vocab, String source, String bos, String eos) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment error = arena.allocate(ValueLayout.ADDRESS);
            MemorySegment made = llama_jvm_chat_h.llama_jvm_chat_templates_init(model,
                    source == null ? MemorySegment.NULL : arena.allocateFrom(source),
                    bos == null ? MemorySegment.NULL : arena.allocateFrom(bos),
                    eos == null ? MemorySegment.NULL : arena.allocateFrom(eos), error);
            if (made.equals(MemorySegment.NULL)) {
                String reason = take(error.get(ValueLayout.ADDRESS, 0));
                throw new ChatFormatException("llama.cpp cannot parse the chat template: "
                        + (reason == null ? "no reason given" : reason));
            }
            return new PanamaChatTemplates(made, vocab);
        }
    }

    @Override
    public String describe() {
        return take(llama_jvm_chat_h.llama_jvm_chat_templates_describe(templates));
    }

    @Override
    public String apply(String requestJson) {
        return call(requestJson, request -> llama_jvm_chat_h.llama_jvm_chat_apply(templates, vocab, request));
    }

    static String parse(String requestJson) {
        return call(requestJson, llama_jvm_chat_h::llama_jvm_chat_parse);
    }

    static String jsonSchemaToGrammar(String schemaJson) {
        return call(schemaJson, llama_jvm_chat_h::llama_jvm_json_schema_to_grammar);
    }

    private static String call(String argument, Function<MemorySegment, MemorySegment> shim) {
        try (Arena arena = Arena.ofConfined()) {
            return take(shim.apply(arena.allocateFrom(argument)));
        }
    }

    /** Copies a string the shim allocated and frees it; null for NULL. */
    private static String take(MemorySegment s) {
        if (s.equals(MemorySegment.NULL)) {
            return null;
        }
        try {
            return s.reinterpret(Long.MAX_VALUE).getString(0);
        } finally {
            llama_jvm_chat_h.llama_jvm_chat_string_free(s);
        }
    }

    @Override
    public void close() {
        llama_jvm_chat_h.llama_jvm_chat_templates_free(templates);
    }
}
