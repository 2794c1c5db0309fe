package dev.llamajvm.soak;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llamajvm.GenerateOptions;
import dev.llamajvm.Reply;
import dev.llamajvm.ToolCall;

/**
 * What every result must satisfy, however random the options: a soak that only counted
 * exceptions would miss wrong answers. A broken rule is an {@link AssertionError}, a failure.
 */
final class Checks {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Checks() {
    }

    /** Token limit and stop strings kept; streamed pieces (when given) add up to the text. */
    static void reply(Reply reply, GenerateOptions options, String streamed) {
        require(reply.generatedTokens() <= options.maxTokens(), "%d tokens generated over a limit of %d",
                reply.generatedTokens(), options.maxTokens());
        for (String stop : options.stopStrings()) {
            require(!reply.text().contains(stop), "the reply %s holds the stop string %s", quoted(reply.text()), quoted(stop));
        }
        if (streamed != null) {
            require(streamed.equals(reply.text()), "streamed pieces %s differ from the reply %s", quoted(streamed),
                    quoted(reply.text()));
        }
    }

    /** A reply the model ended itself under a grammar matches it. */
    static void grammar(Reply reply, RandomOptions.Constraint grammar) {
        if (reply.stopReason() == Reply.StopReason.END_OF_GENERATION) {
            require(grammar.reply().matcher(reply.text()).matches(), "the reply %s does not match the grammar %s",
                    quoted(reply.text()), grammar.gbnf());
        }
    }

    /** A reply the model ended itself under a JSON format is a JSON object. */
    static void jsonObject(Reply reply) {
        if (reply.stopReason() == Reply.StopReason.END_OF_GENERATION) {
            require(parse(reply.text()).isObject(), "the reply %s is not a JSON object", quoted(reply.text()));
        }
    }

    /** Parsed tool calls carry JSON-object arguments. */
    static void toolCalls(Reply reply) {
        for (ToolCall call : reply.toolCalls()) {
            require(parse(call.arguments()).isObject(), "tool call %s has arguments that are not a JSON object", call);
        }
    }

    /** A vector of the model's width with finite components, of length 1 when normalised. */
    static void embedding(float[] vector, int width, boolean normalized) {
        require(vector.length == width, "a vector of %d components from a model of width %d", vector.length, width);
        double norm = 0;
        for (float x : vector) {
            require(Float.isFinite(x), "a component is %s", x);
            norm += x * x;
        }
        require(!normalized || Math.abs(Math.sqrt(norm) - 1) < 1e-3, "a normalised vector has length %f", Math.sqrt(norm));
    }

    static void require(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new AssertionError("wrong result: " + String.format(format, args));
        }
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("wrong result: " + quoted(text) + " is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String quoted(String text) {
        String shown = text.length() > 200 ? text.substring(0, 200) + "…" : text;
        return "\"" + shown.replace("\n", "\\n") + "\"";
    }
}
