package dev.llamajvm;

import dev.llamajvm.testing.TestEnvironment;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The README names the projector types the pinned libmtmd reads; they come from its source
 * ({@code PROJECTOR_TYPE_NAMES} in {@code tools/mtmd/clip-impl.h}), so a llama.cpp upgrade that adds
 * or drops one fails here until the README says so.
 */
class ProjectorTypesDocumentedTest {

    @Test
    void theReadmeListsExactlyThePinnedSourcesProjectorTypes() throws Exception {
        String header = Files.readString(TestEnvironment.llamaSource().resolve("tools/mtmd/clip-impl.h"));
        Matcher table = Pattern.compile("PROJECTOR_TYPE_NAMES\\s*=\\s*\\{(.*?)\\n};", Pattern.DOTALL).matcher(header);
        if (!table.find()) {
            throw new AssertionError("PROJECTOR_TYPE_NAMES not found in clip-impl.h");
        }
        List<String> source = Pattern.compile("\"([^\"]+)\"").matcher(table.group(1)).results()
                .map(m -> m.group(1)).toList();

        String readme = Files.readString(Path.of(System.getProperty("llama.jvm.repo.dir", ".")).resolve("README.md"));
        Matcher listed = Pattern.compile("<!-- projector-types -->(.*?)<!-- /projector-types -->", Pattern.DOTALL)
                .matcher(readme);
        if (!listed.find()) {
            throw new AssertionError("the README's projector-types list is missing");
        }
        List<String> documented = Arrays.stream(listed.group(1).split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        assertEquals(source, documented);
    }
}
