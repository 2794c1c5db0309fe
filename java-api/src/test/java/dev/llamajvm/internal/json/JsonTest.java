package dev.llamajvm.internal.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dependency-free JSON reader: numbers of any size, a depth limit instead of a stack overflow. */
class JsonTest {

    @Test
    void integersBeyondALongAreReadExactly() {
        Map<String, Object> read = Json.parseObject("{\"id\": 123456789012345678901234567890, \"max\": 9223372036854775807,"
                + " \"past\": 9223372036854775808, \"min\": -9223372036854775808, \"below\": -9223372036854775809}");
        assertEquals(new BigInteger("123456789012345678901234567890"), read.get("id"));
        assertEquals(Long.MAX_VALUE, read.get("max"));
        assertEquals(new BigInteger("9223372036854775808"), read.get("past"));
        assertEquals(Long.MIN_VALUE, read.get("min"));
        assertEquals(new BigInteger("-9223372036854775809"), read.get("below"));
    }

    @Test
    void decimalsKeepTheirExactValueAndWriteBackAsRead() {
        String text = "[0.1,3.141592653589793238462643383279,-2.5E+400,7]";
        List<?> read = (List<?>) Json.parse(text);
        assertEquals(new BigDecimal("3.141592653589793238462643383279"), read.get(1));
        assertEquals(7L, read.get(3));
        assertEquals(text, Json.write(read));
        assertEquals("[123456789012345678901234567890]", Json.write(Json.parse("[123456789012345678901234567890]")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+1", "01", "1.", ".5", "1e", "1e+", "-", "1-2", "0x10", "1e99999999999"})
    void numbersJsonDoesNotAllowAreRefused(String number) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(number));
        assertTrue(e.getMessage().startsWith("not valid JSON at offset"), e.getMessage());
    }

    @Test
    void nestingDeeperThanTheLimitIsAClearErrorNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nested deeper than " + Json.MAX_DEPTH), e.getMessage());
        String deepObject = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        assertThrows(IllegalArgumentException.class, () -> Json.parse(deepObject));
    }

    @Test
    void nestingUpToTheLimitIsRead() {
        int depth = Json.MAX_DEPTH;
        Object read = Json.parse("[".repeat(depth) + "]".repeat(depth));
        for (int level = 1; level < depth; level++) {
            read = ((List<?>) read).get(0);
        }
        assertEquals(List.of(), read);
        assertThrows(IllegalArgumentException.class,
                () -> Json.parse("[".repeat(depth + 1) + "]".repeat(depth + 1)));
    }

    @Test
    void badUnicodeEscapesAreJsonErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("\"\\u12G4\""));
        assertTrue(e.getMessage().startsWith("not valid JSON"), e.getMessage());
        assertEquals("\u00e9", Json.parse("\"\\u00e9\""));
    }
}
