package dev.llamajvm.internal;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** A lazy stream of text pieces from a source that returns the next piece, or null at the end. */
public final class Pieces {

    private Pieces() {
    }

    /** Pieces read one at a time, on the reading thread, as the stream is consumed; never a null piece. */
    public static Stream<String> stream(Supplier<String> nextOrNull) {
        Iterator<String> pieces = new Iterator<>() {
            private String next;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (next == null && !done) {
                    next = nextOrNull.get();
                    done = next == null;
                }
                return next != null;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                String piece = next;
                next = null;
                return piece;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pieces, Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }
}
