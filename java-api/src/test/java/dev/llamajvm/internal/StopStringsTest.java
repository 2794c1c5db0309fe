package dev.llamajvm.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StopStringsTest {

    private final StopStrings stops = new StopStrings(List.of("END", "\n\n"));

    @Test
    void findsTheEarliestStopString() {
        assertEquals(5, stops.find("hello\n\nEND", 0));
        assertEquals(3, stops.find("abcEND", 0));
        assertEquals(-1, stops.find("abcEN", 0));
    }

    @Test
    void searchesOnlyWhatCouldHoldANewMatch() {
        assertEquals(8, stops.find("xxxxxxxxEND", 9));
    }

    @Test
    void holdsBackTextThatMayStartAStopString() {
        assertEquals(3, stops.safeLength("abcEN"));
        assertEquals(3, stops.safeLength("abcE"));
        assertEquals(3, stops.safeLength("abc\n"));
        assertEquals(4, stops.safeLength("abcd"));
    }

    @Test
    void withoutStopStringsEverythingIsSafe() {
        StopStrings none = new StopStrings(List.of());
        assertEquals(-1, none.find("anything", 0));
        assertEquals(8, none.safeLength("anything"));
    }
}
