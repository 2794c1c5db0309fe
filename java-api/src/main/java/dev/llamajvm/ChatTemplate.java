package dev.llamajvm;

import dev.llamajvm.internal.chat.ChatCodec;
import dev.llamajvm.internal.chat.ParsedOutput;
import dev.llamajvm.internal.chat.PreparedTurn;
import dev.llamajvm.internal.chat.ReplyParser;
import dev.llamajvm.internal.engine.Engine;
import dev.llamajvm.internal.engine.NativeChatTemplates;
import dev.llamajvm.internal.json.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * A Jinja chat template as llama.cpp's own chat code reads it: it renders conversations (with
 * tools) into prompts and parses a model's replies into content, reasoning and tool calls, in the
 * format llama.cpp detects for the template. A model's own comes from {@link LlamaModel#chatTemplate()};
 * any other from {@link #of(String)}.
 *
 * <p>Owns the parsed template; thread-safe; {@link #close()} waits for calls in progress. A model's
 * own template belongs to the model, whose chats use it: closing it does nothing, and closing the
 * model frees it.
 */
public final class ChatTemplate implements AutoCloseable {

    private final NativeChatTemplates templates;
    /** Names the template in exceptions: a file, a model, or "the given template". */
    private final String name;
    /** A model's own template: only the model frees it ({@link #free()}), never a caller's close. */
    private final boolean ownedByModel;
    private final ReentrantReadWriteLock lifetime = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private ChatTemplate(NativeChatTemplates templates, String name, boolean ownedByModel) {
        this.templates = templates;
        this.name = name;
        this.ownedByModel = ownedByModel;
    }

    /** The template of a model, {@code name} saying which; the model frees it with {@link #free()}. */
    static ChatTemplate ofModel(NativeChatTemplates templates, String name) {
        return new ChatTemplate(templates, name, true);
    }

    /** Parses a Jinja template with empty BOS and EOS strings. */
    public static ChatTemplate of(String jinja) {
        return of(jinja, "", "");
    }

    /**
     * Parses a Jinja template; {@code bos} and {@code eos} are what it sees as bos_token and eos_token.
     *
     * @throws ChatFormatException with llama.cpp's reason if it cannot parse the template
     */
    public static ChatTemplate of(String jinja, String bos, String eos) {
        return parse(jinja, bos, eos, "the given template");
    }

    /**
     * Reads a Jinja template file; {@code bos} and {@code eos} are what it sees as bos_token and eos_token.
     *
     * @throws ChatFormatException naming the file, with llama.cpp's reason, if it cannot parse it
     */
    public static ChatTemplate of(java.nio.file.Path jinjaFile, String bos, String eos) {
        String source;
        try {
            source = java.nio.file.Files.readString(jinjaFile);
        } catch (java.io.IOException e) {
            throw new ChatFormatException("cannot read the chat template " + jinjaFile + ": " + e);
        }
        return parse(source, bos, eos, jinjaFile.getFileName().toString());
    }

    private static ChatTemplate parse(String jinja, String bos, String eos, String name) {
        if (jinja == null || jinja.isBlank()) {
            throw new IllegalArgumentException("the template is empty");
        }
        try {
            return new ChatTemplate(Engine.get().chatTemplates(jinja, bos, eos), name, false);
        } catch (ChatFormatException e) {
            throw new ChatFormatException(name + ": " + e.getMessage());
        }
    }

    /** What exceptions call this template: its file name, its model's file name, or "the given template". */
    public String name() {
        return name;
    }

    /** The template's Jinja source. */
    public String source() {
        return (String) description().get("source");
    }

    /** What llama.cpp found the template can do: supports_tools, supports_tool_calls, supports_system_role, ... */
    public Map<String, Boolean> capabilities() {
        Map<String, Boolean> caps = new LinkedHashMap<>();
        ((Map<?, ?>) description().get("capabilities")).forEach((k, v) -> caps.put((String) k, (Boolean) v));
        return caps;
    }

    private Map<String, Object> description() {
        return use(() -> Json.parseObject(templates.describe()));
    }

    /** Renders a conversation, ending with the assistant's header. */
    public String render(List<Message> messages) {
        return render(messages, List.of());
    }

    /** Renders a conversation with the tools the model may call, ending with the assistant's header. */
    public String render(List<Message> messages, List<Tool> tools) {
        return prepare(messages, TurnOptions.defaults().tools(tools), null).prompt();
    }

    /**
     * Parses a raw reply to a conversation rendered with {@code tools}: its content, reasoning and
     * tool calls. Throws {@link ChatFormatException} if it does not match the template's format.
     */
    public ParsedReply parse(String rawReply, List<Tool> tools) {
        PreparedTurn turn = prepare(List.of(Message.user("")), TurnOptions.defaults().tools(tools), null);
        ParsedOutput parsed = new ReplyParser(turn, Engine.get()::parseChat).parse(rawReply, false, true);
        return new ParsedReply(parsed.content(), parsed.reasoning(), parsed.toolCalls());
    }

    /** Renders a turn; {@code jsonSchema} (may be null) constrains the reply. */
    PreparedTurn prepare(List<Message> messages, TurnOptions turn, String jsonSchema) {
        String request = ChatCodec.renderRequest(messages, turn.tools(), turn.toolChoice(), jsonSchema, true);
        return use(() -> ChatCodec.readRendered(templates.apply(request), "rendering the chat template " + name));
    }

    /**
     * Frees the template. Idempotent. Does nothing to a model's own template
     * ({@link LlamaModel#chatTemplate()}): its chats still use it, and closing the model frees it.
     */
    @Override
    public void close() {
        if (!ownedByModel) {
            free();
        }
    }

    /** Frees the template, waiting for calls in progress. Idempotent. */
    void free() {
        lifetime.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                templates.close();
            }
        } finally {
            lifetime.writeLock().unlock();
        }
    }

    private <T> T use(Supplier<T> work) {
        lifetime.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException(ownedByModel ? "the chat template " + name + " is closed: its model was closed"
                        : "this chat template is closed");
            }
            return work.get();
        } finally {
            lifetime.readLock().unlock();
        }
    }

    /**
     * A reply split by the template's format. Immutable.
     *
     * @param content   the text meant for the reader
     * @param reasoning the model's reasoning ("" if none)
     * @param toolCalls the tool calls it made
     */
    public record ParsedReply(String content, String reasoning, List<ToolCall> toolCalls) {
        public ParsedReply {
            toolCalls = List.copyOf(toolCalls);
        }
    }
}
