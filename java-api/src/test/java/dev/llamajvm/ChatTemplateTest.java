package dev.llamajvm;

import dev.llamajvm.testing.Stories;
import dev.llamajvm.testing.TinyLlama3;
import dev.llamajvm.testing.TestEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rendering goes through llama.cpp's own chat code: the same conversation renders exactly as
 * llama.cpp renders it when driven directly (the llama-jvm-chat-render tool, built from the same
 * source, which builds llama.cpp's message structs itself), and every template of the pinned
 * source renders a standard conversation or fails with an exception naming it.
 */
class ChatTemplateTest {

    private static LlamaModel model;

    @BeforeAll
    static void load() {
        model = TinyLlama3.shared();
    }

    static final Tool WEATHER = Tool.of("get_weather", "Current weather in a city", """
            {"type": "object", "properties": {"city": {"type": "string"}, "unit": {"type": "string",
             "enum": ["celsius", "fahrenheit"]}}, "required": ["city"]}""");

    static final ToolCall CALL = new ToolCall("call_7", "get_weather", "{\"city\": \"Paris\"}");

    /** System, user, an assistant tool call, its result, and a user follow-up. */
    static List<Message> toolConversation() {
        return List.of(Message.system("You answer briefly."), Message.user("Weather in Paris?"),
                Message.assistant("", List.of(CALL)), Message.toolResult(CALL, "{\"temperature\": 21}"),
                Message.user("Thanks! And tomorrow?"));
    }

    @Test
    void rendersAConversationWithToolsExactlyAsLlamaCppDoes(@TempDir Path dir) throws Exception {
        Path conversation = dir.resolve("conversation.json");
        Files.writeString(conversation, """
                {"messages": [
                  {"role": "system", "content": "You answer briefly."},
                  {"role": "user", "content": "Weather in Paris?"},
                  {"role": "assistant", "content": "", "tool_calls": [
                    {"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\"}", "id": "call_7"}]},
                  {"role": "tool", "content": "{\\"temperature\\": 21}", "tool_call_id": "call_7", "name": "get_weather"},
                  {"role": "user", "content": "Thanks! And tomorrow?"}],
                 "tools": [{"name": "get_weather", "description": "Current weather in a city", "parameters":
                   {"type": "object", "properties": {"city": {"type": "string"}, "unit": {"type": "string",
                    "enum": ["celsius", "fahrenheit"]}}, "required": ["city"]}}]}
                """);
        String expected = llamaCppRenders(model.path(), conversation);
        String ours = model.chatTemplate().render(toolConversation(), List.of(WEATHER));
        assertEquals(expected, ours);
        // The real Llama 3.2 template: tools described in the first user turn, the call as JSON, the result as ipython.
        assertTrue(ours.contains("\"name\": \"get_weather\""), ours);
        assertTrue(ours.contains("<|start_header_id|>ipython<|end_header_id|>"), ours);
        assertTrue(ours.endsWith("<|start_header_id|>assistant<|end_header_id|>\n\n"), ours);
    }

    @Test
    void rendersPlainConversationsExactlyAsLlamaCppDoes(@TempDir Path dir) throws Exception {
        Path conversation = dir.resolve("plain.json");
        Files.writeString(conversation, """
                {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi ünïcødé 😀"},
                  {"role": "assistant", "content": "Hello!"}, {"role": "user", "content": "Bye"}]}
                """);
        String ours = model.chatTemplate().render(List.of(Message.system("Be brief."), Message.user("Hi ünïcødé 😀"),
                Message.assistant("Hello!"), Message.user("Bye")));
        assertEquals(llamaCppRenders(model.path(), conversation), ours);
    }

    private static String llamaCppRenders(Path modelFile, Path conversation) throws Exception {
        Process p = new ProcessBuilder(TestEnvironment.tool("llama-jvm-chat-render").toString(), modelFile.toString(),
                conversation.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "llama-jvm-chat-render failed");
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void everyTemplateOfThePinnedSourceRendersAStandardConversationOrNamesItselfInTheFailure() throws Exception {
        List<Message> conversation = List.of(Message.system("SYSTEM-TEXT"), Message.user("USER-ONE"),
                Message.assistant("ASSISTANT-ONE"), Message.user("USER-TWO"));
        List<Path> templates;
        try (Stream<Path> files = Files.list(TestEnvironment.llamaSource().resolve("models/templates"))) {
            templates = files.filter(f -> f.toString().endsWith(".jinja")).sorted().toList();
        }
        assertTrue(templates.size() > 50, "templates found: " + templates.size());
        List<String> failed = new ArrayList<>();
        for (Path file : templates) {
            String name = file.getFileName().toString();
            try (ChatTemplate template = ChatTemplate.of(file, "<s>", "</s>")) {
                String prompt = template.render(conversation);
                for (String part : List.of("USER-ONE", "ASSISTANT-ONE", "USER-TWO")) {
                    assertTrue(prompt.contains(part), name + " lost " + part + ":\n" + prompt);
                }
                assertTrue(prompt.indexOf("USER-ONE") < prompt.indexOf("USER-TWO"), name);
            } catch (ChatFormatException e) {
                assertTrue(e.getMessage().contains(name), "the exception does not name " + name + ": " + e.getMessage());
                failed.add(name + ": " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        System.out.printf("chat templates: %d of %d render a standard conversation%s%n", templates.size() - failed.size(),
                templates.size(), failed.isEmpty() ? "" : "; failing (with a named exception): " + failed);
        assertTrue(failed.size() < templates.size() / 4, "too many templates fail: " + failed);
    }

    @Test
    void aBrokenTemplateIsAClearExceptionNotACrash() {
        ChatFormatException e = assertThrows(ChatFormatException.class, () -> ChatTemplate.of("{% if %}"));
        assertTrue(e.getMessage().contains("the given template"), e.getMessage());
        try (ChatTemplate raising = ChatTemplate.of("{{ raise_exception('no system role here') }}")) {
            ChatFormatException r = assertThrows(ChatFormatException.class, () -> raising.render(List.of(Message.user("x"))));
            assertTrue(r.getMessage().contains("no system role here"), r.getMessage());
        }
    }

    @Test
    void aClosedTemplateRefusesUse() {
        ChatTemplate t = ChatTemplate.of("{% for m in messages %}{{ m.content }}{% endfor %}");
        assertEquals("hi", t.render(List.of(Message.user("hi"))).strip());
        t.close();
        t.close();
        assertThrows(IllegalStateException.class, () -> t.render(List.of(Message.user("hi"))));
    }

    @Test
    void theModelsTemplateReportsItsCapabilities() {
        ChatTemplate t = model.chatTemplate();
        assertTrue(t.source().contains("<|start_header_id|>"));
        assertTrue(t.capabilities().get("supports_tools"), t.capabilities().toString());
        assertFalse(t.name().isEmpty());
    }

    @Test
    void theModelsOwnTemplateIsClosedByTheModelNotByItsCallers() {
        try (LlamaModel own = LlamaModel.load(Stories.path())) {
            ChatTemplate template = own.chatTemplate();
            template.close(); // a caller's close does nothing: the model's chats still need the template
            assertTrue(template.render(List.of(Message.user("Hi there"))).contains("Hi there"));
            try (ChatSession chat = own.newChat(ChatOptions.defaults().contextSize(256)
                    .generate(GenerateOptions.defaults().maxTokens(3).ignoreEos(true)))) {
                assertEquals(3, chat.send("Hello").generatedTokens());
            }
            own.close();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> template.render(List.of(Message.user("Hi"))));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }
}
