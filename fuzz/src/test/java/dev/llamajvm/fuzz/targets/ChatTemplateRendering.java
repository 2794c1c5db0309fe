package dev.llamajvm.fuzz.targets;

import dev.llamajvm.ChatTemplate;
import dev.llamajvm.LlamaException;
import dev.llamajvm.Message;
import dev.llamajvm.NativeLibraries;
import dev.llamajvm.Tool;
import dev.llamajvm.ToolCall;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Text as a Jinja chat template: parsed by llama.cpp's template engine and rendered over a
 * conversation with every kind of message and a tool. Seeds: llama.cpp's models/templates/.
 */
public final class ChatTemplateRendering {

    private static final ToolCall CALL = new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\",\"days\":2}");
    static final List<Tool> TOOLS = List.of(
            Tool.of("get_weather", "Weather forecast for a city",
                    "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"days\":{\"type\":\"integer\"}},"
                            + "\"required\":[\"city\"]}"),
            Tool.of("search", "Searches the web", "{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\"}}}"));
    private static final List<Message> CONVERSATION = List.of(
            Message.system("You are brief."),
            Message.user("What is the weather in Paris?"),
            Message.assistant("", List.of(CALL)),
            Message.toolResult(CALL, "{\"forecast\":\"sunny\"}"),
            Message.assistant("Sunny, \u00e9t\u00e9 \uD83C\uDF1E."),
            Message.user("Thanks"));

    private ChatTemplateRendering() {}

    public static void fuzzerInitialize() {
        NativeLibraries.load();
    }

    public static void fuzzerTestOneInput(byte[] data) {
        String jinja = new String(data, StandardCharsets.UTF_8);
        if (jinja.isBlank()) {
            return; // refused up front with IllegalArgumentException, by contract
        }
        try (ChatTemplate template = ChatTemplate.of(jinja, "<s>", "</s>")) {
            template.render(CONVERSATION.subList(0, 2));
            Outcomes.accepted(template.render(CONVERSATION, TOOLS));
        } catch (LlamaException e) {
            Outcomes.refused(1, e);
        }
    }
}
