package dev.llamajvm;

import dev.llamajvm.internal.engine.NativeMedia;
import dev.llamajvm.internal.engine.NativePrompt;

import java.util.ArrayList;
import java.util.List;

/**
 * Puts a chat's images and audio into its prompt: markers where each medium goes, then the
 * projector's tokenizer (mtmd_tokenize) over the rendered conversation and all its media, in
 * order. Media of earlier turns are decoded again each turn (cheap) but not encoded again: the
 * KV cache still holds them, matched by content hash.
 */
final class ChatMedia {

    private ChatMedia() {}

    static boolean any(List<Message> messages) {
        return messages.stream().anyMatch(Message::hasMedia);
    }

    /**
     * The messages as the template must see them: markers in the text, one per medium, in front
     * of it unless the message placed them itself; in messages without media, none.
     */
    static List<Message> withMarkers(List<Message> messages, String marker) {
        List<Message> marked = new ArrayList<>(messages.size());
        for (Message m : messages) {
            int markers = occurrences(m.content(), marker);
            if (!m.hasMedia() && markers > 0) {
                // A reply (or pasted text) quoting the marker claims no medium: keep it from reading as one.
                marked.add(new Message(m.role(), m.content().replace(marker, defused(marker)), m.toolCalls(),
                        m.toolCallId(), m.toolName(), m.media()));
            } else if (markers == m.media().size()) {
                marked.add(m);
            } else if (markers == 0) {
                marked.add(new Message(m.role(), marker.repeat(m.media().size()) + m.content(), m.toolCalls(),
                        m.toolCallId(), m.toolName(), m.media()));
            } else {
                throw new InvalidMediaException("a " + m.role() + " message has " + markers + " media markers ("
                        + marker + ") for " + m.media().size() + " media; place one per medium, or none");
            }
        }
        return marked;
    }

    /** Tokenizes the rendered {@code prompt}, whose markers stand for the media of {@code messages}. */
    static NativePrompt tokenize(Projector projector, String prompt, List<Message> messages) {
        List<NativeMedia> decoded = new ArrayList<>();
        try {
            for (Message m : messages) {
                for (Media medium : m.media()) {
                    decoded.add(projector.prepare(medium));
                }
            }
            return projector.nativeProjector().tokenize(prompt, decoded);
        } finally {
            decoded.forEach(NativeMedia::close); // the chunks hold what they need of them
        }
    }

    /** The marker with a space after its first character: the same text to a reader, no marker to libmtmd. */
    private static String defused(String marker) {
        return marker.charAt(0) + " " + marker.substring(1);
    }

    private static int occurrences(String text, String marker) {
        int n = 0;
        for (int at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + marker.length())) {
            n++;
        }
        return n;
    }
}
