package dev.llamajvm.fuzz;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeedDeltaTest {

    private final byte[] seed = new byte[100_000];

    SeedDeltaTest() {
        new Random(1).nextBytes(seed);
    }

    @Test
    void changedBytesBecomeSmallEditsThatRebuildTheInput() {
        byte[] input = seed.clone();
        input[1166] = 0x41;
        input[1170] ^= 1;
        input[90_000] = 7;
        SeedDelta delta = SeedDelta.between(seed, input, "seed.gguf");
        assertEquals(2, delta.edits().size(), "nearby changes merge, distant ones do not");
        assertTrue(delta.insertedBytes() <= 6, "kept: " + delta.insertedBytes() + " bytes");
        assertArrayEquals(input, roundTrip(delta).apply(seed));
    }

    @Test
    void insertionsAndDeletionsRebuildTheInput() {
        byte[] inserted = new byte[seed.length + 3];
        System.arraycopy(seed, 0, inserted, 0, 500);
        System.arraycopy(seed, 500, inserted, 503, seed.length - 500);
        assertArrayEquals(inserted, roundTrip(SeedDelta.between(seed, inserted, "s")).apply(seed));

        byte[] truncated = java.util.Arrays.copyOf(seed, 4000);
        SeedDelta cut = roundTrip(SeedDelta.between(seed, truncated, "s"));
        assertEquals(0, cut.insertedBytes());
        assertArrayEquals(truncated, cut.apply(seed));
    }

    private static SeedDelta roundTrip(SeedDelta delta) {
        SeedDelta parsed = SeedDelta.parse(delta.text("a comment\nover two lines"));
        assertEquals(delta.seed(), parsed.seed());
        return parsed;
    }
}
