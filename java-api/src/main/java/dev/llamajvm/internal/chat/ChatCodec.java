package dev.llamajvm.internal.chat;

import dev.llamajvm.ChatFormatException;
import dev.llamajvm.InvalidSamplingException;
import dev.llamajvm.Message;
import dev.llamajvm.Tool;
import dev.llamajvm.ToolCall;
import dev.llamajvm.TurnOptions;
import dev.llamajvm.internal.OutputRules;
import dev.llamajvm.internal.engine.ChatGrammar;
import dev.llamajvm.internal.json.Json;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates between llama-jvm's chat values and the JSON of the chat shim: the requests it
 * takes (OpenAI-style messages and tools) and the results it returns. Stateless.
 */
public final class ChatCodec {

    private ChatCodec() {
    }

    /** The request to render {@code messages} with the tools the model may call and an optional reply schema. */
    public static String renderRequest(List<Message> messages, List<Tool> tools, TurnOptions.ToolChoice choice,
                                       String jsonSchema, boolean addGenerationPrompt) {
        Map<String, Object> request = new LinkedHashMap<>();
        List<Object> list = new ArrayList<>();
        for (Message m : messages) {
            list.add(message(m));
        }
        request.put("messages", list);
        if (!tools.isEmpty()) {
            List<Object> described = new ArrayList<>();
            for (Tool t : tools) {
                described.add(Map.of("type", "function", "function", Map.of("name", t.name(),
                        "description", t.description(), "parameters", new Json.Raw(t.parameters()))));
            }
            request.put("tools", described);
            request.put("tool_choice", choice.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (jsonSchema != null) {
            request.put("json_schema", new Json.Raw(jsonSchema));
        }
        request.put("add_generation_prompt", addGenerationPrompt);
        return Json.write(request);
    }

    private static Map<String, Object> message(Message m) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("role", m.role());
        json.put("content", m.content());
        if (!m.toolCalls().isEmpty()) {
            List<Object> calls = new ArrayList<>();
            for (ToolCall c : m.toolCalls()) {
                calls.add(Map.of("id", c.id(), "type", "function",
                        "function", Map.of("name", c.name(), "arguments", c.arguments())));
            }
            json.put("tool_calls", calls);
        }
        if (m.toolCallId() != null) {
            json.put("tool_call_id", m.toolCallId());
        }
        if (m.toolName() != null) {
            json.put("name", m.toolName());
        }
        return json;
    }

    /** Reads a render result; a failure becomes a ChatFormatException naming what failed. */
    @SuppressWarnings("unchecked")
    public static PreparedTurn readRendered(String resultJson, String what) {
        Map<String, Object> r = Json.parseObject(resultJson);
        if (r.containsKey("error")) {
            throw new ChatFormatException(what + " failed in llama.cpp's chat code: " + r.get("error"));
        }
        String grammarText = (String) r.get("grammar");
        ChatGrammar grammar = grammarText == null || grammarText.isEmpty() ? null
                : new ChatGrammar(grammarText, (Boolean) r.get("grammar_lazy"),
                        strings(r.get("trigger_patterns")), ints(r.get("trigger_tokens")), ints(r.get("grammar_prefill")));
        Set<Integer> preserved = new HashSet<>(ints(r.get("preserved_tokens")));
        boolean parses = grammar != null || Boolean.TRUE.equals(r.get("supports_thinking"));
        return new PreparedTurn((String) r.get("prompt"), ((Number) r.get("format")).intValue(),
                (String) r.get("parser"), (String) r.get("generation_prompt"), new OutputRules(grammar, preserved),
                strings(r.get("additional_stops")), parses);
    }

    /** The request to parse {@code text}, the raw reply (or its start) to a prepared turn. */
    public static String parseRequest(PreparedTurn turn, String text, boolean partial) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("text", text);
        request.put("partial", partial);
        request.put("format", turn.format());
        request.put("parser", turn.parser());
        request.put("generation_prompt", turn.generationPrompt());
        return Json.write(request);
    }

    /**
     * Reads a parse result. A reply that does not parse is kept whole as content with a note,
     * unless {@code strict}, when it is a ChatFormatException.
     */
    @SuppressWarnings("unchecked")
    public static ParsedOutput readParsed(String resultJson, String rawText, boolean strict) {
        Map<String, Object> r = Json.parseObject(resultJson);
        if (r.containsKey("error")) {
            return unparsed("the reply does not match the model's chat format: " + r.get("error"), rawText, strict);
        }
        List<ToolCall> calls = new ArrayList<>();
        Object listed = r.get("tool_calls");
        if (listed instanceof List<?> list) {
            for (Object o : list) {
                Map<String, Object> call = (Map<String, Object>) o;
                Map<String, Object> function = (Map<String, Object>) call.get("function");
                String id = call.get("id") instanceof String s && !s.isEmpty() ? s : "call_" + (calls.size() + 1);
                String arguments = (String) function.get("arguments");
                try {
                    Json.parseObject(arguments);
                } catch (IllegalArgumentException e) {
                    // llama.cpp's lenient parser passes on a call cut short; its arguments are no use to anyone.
                    return unparsed("the arguments of tool call " + function.get("name") + " are not a JSON object ("
                            + e.getMessage() + "): " + arguments, rawText, strict);
                }
                calls.add(new ToolCall(id, (String) function.get("name"), arguments));
            }
        }
        Object content = r.get("content");
        Object reasoning = r.get("reasoning_content");
        return new ParsedOutput(content instanceof String s ? s : "", reasoning instanceof String s ? s : "", calls, null);
    }

    /** A reply that did not parse: a ChatFormatException if {@code strict}, else the whole text as content with the note. */
    static ParsedOutput unparsed(String note, String rawText, boolean strict) {
        if (strict) {
            throw new ChatFormatException(note);
        }
        return new ParsedOutput(rawText, "", List.of(), note);
    }

    /**
     * Checks that llama.cpp can turn a JSON schema into a grammar ({@code toGrammar}: the shim's
     * call); an invalid schema is an InvalidSamplingException. Java's reader sees it first: its
     * depth limit keeps llama.cpp's recursive converter, which overflowed a 1 MB thread stack and
     * killed the JVM at 2,000 levels, away from such schemas.
     */
    public static void checkSchema(String schema, java.util.function.UnaryOperator<String> toGrammar) {
        try {
            Json.parse(schema);
        } catch (IllegalArgumentException e) {
            throw new InvalidSamplingException("the JSON schema is not valid JSON: " + e.getMessage());
        }
        Map<String, Object> r = Json.parseObject(toGrammar.apply(schema));
        if (r.containsKey("error")) {
            throw new InvalidSamplingException("llama.cpp cannot turn the JSON schema into a grammar: " + r.get("error"));
        }
    }

    private static List<String> strings(Object list) {
        List<String> out = new ArrayList<>();
        if (list instanceof List<?> l) {
            for (Object o : l) {
                out.add((String) o);
            }
        }
        return out;
    }

    private static List<Integer> ints(Object list) {
        List<Integer> out = new ArrayList<>();
        if (list instanceof List<?> l) {
            for (Object o : l) {
                out.add(((Number) o).intValue());
            }
        }
        return out;
    }
}
