package dev.llamajvm.fuzz;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A one-line name for a crash, the same for every input that hits the same defect: the failed
 * assert, the C++ exception's message, the frame a native fault happened in, or the Java exception
 * and the first of our frames it came through.
 */
final class CrashSignature {

    private static final Pattern GGML_ASSERT = Pattern.compile("([\\w.-]+\\.(?:c|cc|cpp|h)):\\d+: (GGML_ASSERT\\(.*\\) failed)");
    private static final Pattern CPP_WHAT = Pattern.compile("what\\(\\):\\s*(.*)");
    private static final Pattern JAVA_FINDING = Pattern.compile("== Java Exception: ([\\w.$]+)(: (.*))?");
    private static final Pattern OUR_FRAME = Pattern.compile("^\\s*at (dev\\.llamajvm\\.[\\w.$<>]+)\\(");

    private CrashSignature() {}

    static String of(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher m;
            if ((m = GGML_ASSERT.matcher(line)).find()) {
                return "abort: " + m.group(1) + ": " + m.group(2);
            }
            if (line.contains("terminate called") && i + 1 < lines.size()
                    && (m = CPP_WHAT.matcher(line + " " + lines.get(i + 1))).find()) {
                return "uncaught C++ exception: " + withoutNumbers(m.group(1));
            }
            if (line.contains("ERROR: libFuzzer: timeout")) {
                return "timeout (one input ran longer than -timeout)";
            }
            if (line.contains("ERROR: libFuzzer: out-of-memory")) {
                return "out of memory (over -rss_limit_mb)";
            }
            if (line.startsWith("# Problematic frame:") && i + 1 < lines.size()) {
                return "fatal signal in " + lines.get(i + 1).replaceFirst("^#\\s*", "").replaceAll("\\+0x[0-9a-f]+", "");
            }
            if ((m = JAVA_FINDING.matcher(line)).find()) {
                return "Java " + m.group(1) + firstOwnFrame(lines, i + 1);
            }
        }
        return "deadly signal (no message)";
    }

    private static String firstOwnFrame(List<String> lines, int from) {
        for (int i = from; i < lines.size() && i < from + 60; i++) {
            Matcher m = OUR_FRAME.matcher(lines.get(i));
            if (m.find() && !m.group(1).startsWith("dev.llamajvm.fuzz.")) {
                return " at " + m.group(1);
            }
        }
        return "";
    }

    private static String withoutNumbers(String text) {
        return text.replaceAll("[0-9]+", "N").trim();
    }
}
