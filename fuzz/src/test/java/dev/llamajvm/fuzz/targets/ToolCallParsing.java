package dev.llamajvm.fuzz.targets;

import dev.llamajvm.ChatTemplate;
import dev.llamajvm.LlamaException;
import dev.llamajvm.NativeLibraries;
import dev.llamajvm.fuzz.FuzzEnvironment;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Text as a model's raw reply, parsed for content, reasoning and tool calls by real templates' parsers
 * ({@link ChatTemplate#parse}). The first byte picks the template ({@link #TEMPLATES}), the rest is the
 * reply. Seeds: a tool call in each template's own syntax ({@code Seeds}).
 */
public final class ToolCallParsing {

    /** Templates of llama.cpp's models/templates/ with distinct tool-call syntaxes. */
    public static final List<String> TEMPLATES = List.of(
            "meta-llama-Llama-3.1-8B-Instruct.jinja",
            "NousResearch-Hermes-2-Pro-Llama-3-8B-tool_use.jinja",
            "Qwen-Qwen3-0.6B.jinja",
            "mistralai-Mistral-Nemo-Instruct-2407.jinja",
            "deepseek-ai-DeepSeek-R1-Distill-Llama-8B.jinja",
            "meetkai-functionary-medium-v3.2.jinja",
            "openai-gpt-oss-120b.jinja",
            "fireworks-ai-llama-3-firefunction-v2.jinja",
            "Qwen3-Coder.jinja",
            "moonshotai-Kimi-K2.jinja");

    private static final List<ChatTemplate> templates = new ArrayList<>();

    private ToolCallParsing() {}

    public static void fuzzerInitialize() {
        NativeLibraries.load();
        Path folder = FuzzEnvironment.llamaSource().resolve("models").resolve("templates");
        for (String name : TEMPLATES) {
            templates.add(ChatTemplate.of(folder.resolve(name), "<s>", "</s>"));
        }
    }

    public static void fuzzerTestOneInput(byte[] data) {
        if (data.length == 0) {
            return;
        }
        ChatTemplate template = templates.get((data[0] & 0xff) % templates.size());
        String reply = new String(Arrays.copyOfRange(data, 1, data.length), StandardCharsets.UTF_8);
        try {
            Outcomes.accepted(template.parse(reply, ChatTemplateRendering.TOOLS).toString());
        } catch (LlamaException e) {
            Outcomes.refused(1, e);
        }
    }
}
