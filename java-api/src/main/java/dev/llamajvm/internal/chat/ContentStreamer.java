package dev.llamajvm.internal.chat;

/**
 * Turns the raw pieces of a chat reply into pieces of its content as they come: a tool call or
 * reasoning block is held back, content is handed on. Re-parses the reply so far after each piece
 * with llama.cpp's partial parser, as llama.cpp's server does for streamed chats. One reply, one thread.
 */
public final class ContentStreamer {

    private final PreparedTurn turn;
    private final ReplyParser parser;
    private final StringBuilder raw = new StringBuilder();
    private String handedOn = "";

    /** {@code parser} parses replies to {@code turn}. */
    public ContentStreamer(PreparedTurn turn, ReplyParser parser) {
        this.turn = turn;
        this.parser = parser;
    }

    /** Takes the next raw piece; returns the content that became known with it ("" if none). */
    public String accept(String rawPiece) {
        raw.append(rawPiece);
        if (!turn.parses()) {
            return rawPiece; // the whole reply is content: nothing to hold back
        }
        ParsedOutput sofar = parser.parse(raw.toString(), true, false);
        return sofar.note() == null ? handOn(sofar.content()) : "";
    }

    /** The whole reply parsed; throws ChatFormatException if it does not parse and {@code strict}. */
    public ParsedOutput finish(boolean strict) {
        if (!turn.parses()) {
            return new ParsedOutput(raw.toString(), "", java.util.List.of(), null);
        }
        return parser.parse(raw.toString(), false, strict);
    }

    /** Content of the finished reply not handed on yet (it is only ever handed on as a continuation). */
    public String remainder(ParsedOutput finished) {
        return turn.parses() ? handOn(finished.content()) : "";
    }

    private String handOn(String content) {
        if (content.length() > handedOn.length() && content.startsWith(handedOn)) {
            String delta = content.substring(handedOn.length());
            handedOn = content;
            return delta;
        }
        return "";
    }
}
