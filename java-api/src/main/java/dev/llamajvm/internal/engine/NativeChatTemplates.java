package dev.llamajvm.internal.engine;

/**
 * Chat templates parsed by llama.cpp's chat code (through llama-jvm's chat shim). Read-only once
 * made: any number of threads may render at once; {@link #close()} must not race them (the public
 * owner guarantees that). Requests and results are the shim's JSON; a result may be an error.
 */
public interface NativeChatTemplates extends AutoCloseable {

    /** {"source", "tool_use_source", "capabilities"}. */
    String describe();

    /** Renders a conversation: llama_jvm_chat_apply's request and result. */
    String apply(String requestJson);

    @Override
    void close();
}
