package dev.llamajvm;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Record-derived schemas are the same text in every JVM: keys in a fixed order, properties in
 * component order. Map.of's iteration order is salted per JVM, so one JVM alone cannot show that:
 * the schema is also rendered in child JVMs and compared.
 */
class JsonSchemasTest {

    enum Priority { LOW, HIGH }

    record Owner(String name, int age) {}

    record Task(String title, Priority priority, Owner owner, List<String> tags, Map<String, Double> scores,
                long[] ids, Set<Boolean> flags, Optional<String> note) {}

    static final String TASK_SCHEMA = "{\"type\":\"object\",\"properties\":{"
            + "\"title\":{\"type\":\"string\"},"
            + "\"priority\":{\"type\":\"string\",\"enum\":[\"LOW\",\"HIGH\"]},"
            + "\"owner\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"age\":{\"type\":\"integer\"}},"
            + "\"required\":[\"name\",\"age\"]},"
            + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
            + "\"scores\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"number\"}},"
            + "\"ids\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}},"
            + "\"flags\":{\"type\":\"array\",\"items\":{\"type\":\"boolean\"}},"
            + "\"note\":{\"type\":\"string\"}},"
            + "\"required\":[\"title\",\"priority\",\"owner\",\"tags\",\"scores\",\"ids\",\"flags\"]}";

    @Test
    void aRecordsSchemaHasItsKeysInAFixedOrder() {
        assertEquals(TASK_SCHEMA, JsonSchemas.of(Task.class));
    }

    @Test
    void everyJvmWritesTheSameSchema() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> rendered = new ArrayList<>();
        for (int run = 0; run < 4; run++) {
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    RenderInChildJvm.class.getName()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            byte[] out = child.getInputStream().readAllBytes();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
            assertEquals(0, child.exitValue(), "the child JVM failed");
            rendered.add(new String(out, StandardCharsets.UTF_8).strip());
        }
        assertEquals(List.of(TASK_SCHEMA, TASK_SCHEMA, TASK_SCHEMA, TASK_SCHEMA), rendered);
    }

    /** Prints the schema of {@link Task} in a fresh JVM (a fresh Map.of salt). */
    public static final class RenderInChildJvm {
        public static void main(String[] args) {
            System.out.println(JsonSchemas.of(Task.class));
        }
    }
}
