package dev.llamajvm;

import java.util.List;
import java.util.Objects;

/**
 * How one chat turn is answered: generation options, the tools the model may call, and the
 * format the reply must take. Immutable: each method returns a changed copy.
 *
 * @param generate  token limit, stop strings and sampling
 * @param tools     tools the model may call (none: plain chat)
 * @param toolChoice whether the model may, must or must not call one of them
 * @param format    the reply's shape (not with tools)
 * @param strictToolCalls throw {@link ChatFormatException} when the reply does not parse in the
 *                  model's tool-call format; otherwise it becomes plain content with a
 *                  {@link Reply#parseNote()}
 */
public record TurnOptions(GenerateOptions generate, List<Tool> tools, ToolChoice toolChoice, Format format,
                          boolean strictToolCalls) {

    /** Whether the model may call a tool. */
    public enum ToolChoice { AUTO, REQUIRED, NONE }

    public TurnOptions {
        Objects.requireNonNull(generate, "generate");
        Objects.requireNonNull(toolChoice, "toolChoice");
        Objects.requireNonNull(format, "format");
        tools = List.copyOf(tools);
        if (!tools.isEmpty() && !(format instanceof Format.Text) && toolChoice != ToolChoice.NONE) {
            throw new IllegalArgumentException("a turn with tools cannot also constrain the reply's format");
        }
    }

    /** {@link GenerateOptions#defaults()}, no tools, free text. */
    public static TurnOptions defaults() {
        return new TurnOptions(GenerateOptions.defaults(), List.of(), ToolChoice.AUTO, Format.text(), false);
    }

    /** The defaults with these tools. */
    public static TurnOptions withTools(Tool... tools) {
        return defaults().tools(List.of(tools));
    }

    /** The defaults with this format. */
    public static TurnOptions withFormat(Format format) {
        return defaults().format(format);
    }

    public TurnOptions generate(GenerateOptions options) {
        return new TurnOptions(options, tools, toolChoice, format, strictToolCalls);
    }

    public TurnOptions tools(List<Tool> list) {
        return new TurnOptions(generate, list, toolChoice, format, strictToolCalls);
    }

    public TurnOptions toolChoice(ToolChoice choice) {
        return new TurnOptions(generate, tools, choice, format, strictToolCalls);
    }

    public TurnOptions format(Format shape) {
        return new TurnOptions(generate, tools, toolChoice, shape, strictToolCalls);
    }

    public TurnOptions strictToolCalls(boolean strict) {
        return new TurnOptions(generate, tools, toolChoice, format, strict);
    }
}
