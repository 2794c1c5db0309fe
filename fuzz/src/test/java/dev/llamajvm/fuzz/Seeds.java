package dev.llamajvm.fuzz;

import dev.llamajvm.fuzz.targets.ToolCallParsing;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The seed corpus of each target, laid out afresh before every campaign under
 * {@code target/fuzz/seeds/<target>}: real files (stories260K, llama.cpp's vocab files, grammars and
 * templates, the random-weight models) are linked there, never committed; small text seeds come from
 * this module's resources or are written here.
 */
public final class Seeds {

    /**
     * llama.cpp's vocab files up to this size seed model loading: one each of the SPM (llama, phi-3),
     * WPM (bert) and BPE (deepseek-coder) tokenizers. The larger ones take 0.2 s to over a second per
     * load on two cores, which would leave a bounded run little more than the first pass over them.
     */
    private static final long MAX_VOCAB_SEED_BYTES = 1_200_000;

    private Seeds() {}

    /** The seed folder of {@code target}, filled. */
    public static Path prepare(FuzzTarget target) {
        return prepare(target, "seeds");
    }

    /** The seed called {@code name} of {@code target} (a {@link SeedDelta} names its base so). */
    public static Path seed(FuzzTarget target, String name) {
        // A folder of its own: a campaign may be reading the other one.
        Path seed = prepare(target, "replay-seeds").resolve(name);
        if (!Files.exists(seed)) {
            throw new IllegalStateException("no seed " + name + " for " + target.id());
        }
        return seed;
    }

    private static Path prepare(FuzzTarget target, String kind) {
        Path folder = FuzzEnvironment.workDir().resolve("fuzz").resolve(kind).resolve(target.id());
        try {
            clear(folder);
            Files.createDirectories(folder);
            switch (target) {
                case MODEL_LOADING -> {
                    link(folder, FuzzEnvironment.stories260K());
                    link(folder, FuzzModels.llama());
                    link(folder, FuzzModels.qwen2Vl());
                    linkAll(folder, FuzzEnvironment.llamaSource().resolve("models"), ".gguf", MAX_VOCAB_SEED_BYTES);
                }
                case PROJECTOR_LOADING -> {
                    link(folder, FuzzModels.mlpProjector());
                    link(folder, FuzzModels.qwen2VlProjector());
                }
                case IMAGE_DECODING -> writeImages(folder);
                case GRAMMAR -> {
                    linkAll(folder, FuzzEnvironment.llamaSource().resolve("grammars"), ".gbnf");
                    copyResources(folder, "grammar");
                }
                case JSON_SCHEMA -> copyResources(folder, "json-schema");
                case CHAT_TEMPLATE -> linkAll(folder, FuzzEnvironment.llamaSource().resolve("models").resolve("templates"), ".jinja");
                case TOOL_CALL_PARSING -> writeReplies(folder);
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The size of the largest seed. */
    public static long largest(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.mapToLong(Seeds::size).max().orElse(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void link(Path folder, Path file) throws IOException {
        Files.createSymbolicLink(folder.resolve(file.getFileName().toString()), file.toAbsolutePath());
    }

    private static void linkAll(Path folder, Path source, String suffix) throws IOException {
        linkAll(folder, source, suffix, Long.MAX_VALUE);
    }

    private static void linkAll(Path folder, Path source, String suffix, long maxBytes) throws IOException {
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(suffix) && size(f) <= maxBytes)
                    .sorted().toList()) {
                link(folder, file);
            }
        }
    }

    private static void copyResources(Path folder, String name) throws IOException {
        URL url = Seeds.class.getResource("/seeds/" + name);
        if (url == null) {
            throw new IllegalStateException("resource folder seeds/" + name + " is missing");
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            for (Path file : files.sorted().toList()) {
                Files.copy(file, folder.resolve(file.getFileName().toString()));
            }
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Tiny images in each format libmtmd's decoder reads, with colour, grey and alpha. */
    private static void writeImages(Path folder) throws IOException {
        BufferedImage rgb = gradient(new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB));
        BufferedImage grey = gradient(new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY));
        BufferedImage argb = gradient(new BufferedImage(3, 5, BufferedImage.TYPE_INT_ARGB));
        for (String format : List.of("png", "jpg", "bmp", "gif")) {
            Files.write(folder.resolve("rgb." + format), encode(rgb, format));
        }
        Files.write(folder.resolve("grey.png"), encode(grey, "png"));
        Files.write(folder.resolve("alpha.png"), encode(argb, "png"));
        Files.write(folder.resolve("rgb.ppm"), netpbm("P6", 2, 2, 3));
        Files.write(folder.resolve("grey.pgm"), netpbm("P5", 3, 2, 1));
        Path icon = FuzzEnvironment.llamaSource().resolve("media").resolve("llama1-icon.png");
        if (Files.isRegularFile(icon)) {
            link(folder, icon);
        }
    }

    private static BufferedImage gradient(BufferedImage image) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, 0x40000000 * (x % 4) | (x * 50) << 16 | (y * 80) << 8 | (x + y) * 30);
            }
        }
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) {
            throw new IllegalStateException("no ImageIO writer for " + format);
        }
        return out.toByteArray();
    }

    private static byte[] netpbm(String magic, int width, int height, int channels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((magic + "\n" + width + " " + height + "\n255\n").getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < width * height * channels; i++) {
            out.write(i * 37);
        }
        return out.toByteArray();
    }

    /** For each template of {@link ToolCallParsing}: a tool call in its syntax and plain text. */
    private static void writeReplies(Path folder) throws IOException {
        List<String> calls = List.of(
                "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\", \"days\": 2}}",
                "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>",
                "<think>\nLet me check.\n</think>\n\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": "
                        + "{\"city\": \"Paris\", \"days\": 2}}\n</tool_call>",
                "[TOOL_CALLS][{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}, \"id\": \"abcdefghi\"}]",
                "<think>ok</think>\n<\uFF5Ctool\u2581calls\u2581begin\uFF5C><\uFF5Ctool\u2581call\u2581begin\uFF5C>function"
                        + "<\uFF5Ctool\u2581sep\uFF5C>get_weather\n```json\n{\"city\": \"Paris\"}\n```"
                        + "<\uFF5Ctool\u2581call\u2581end\uFF5C><\uFF5Ctool\u2581calls\u2581end\uFF5C>",
                ">>>all\nLet me look.>>>get_weather\n{\"city\": \"Paris\"}",
                "<|channel|>analysis<|message|>Checking.<|end|><|start|>assistant<|channel|>commentary "
                        + "to=functions.get_weather <|constrain|>json<|message|>{\"city\":\"Paris\"}",
                " functools[{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}]",
                "<tool_call>\n<function=get_weather>\n<parameter=city>\nParis\n</parameter>\n</function>\n</tool_call>",
                "<|tool_calls_section_begin|><|tool_call_begin|>functions.get_weather:0<|tool_call_argument_begin|>"
                        + "{\"city\": \"Paris\"}<|tool_call_end|><|tool_calls_section_end|>");
        if (calls.size() != ToolCallParsing.TEMPLATES.size()) {
            throw new IllegalStateException("one tool call per template of ToolCallParsing");
        }
        for (int i = 0; i < calls.size(); i++) {
            Files.write(folder.resolve("call-" + i), withTemplate(i, calls.get(i)));
            Files.write(folder.resolve("text-" + i), withTemplate(i, "Hello! The weather is {fine}."));
        }
    }

    private static byte[] withTemplate(int template, String reply) {
        byte[] text = reply.getBytes(StandardCharsets.UTF_8);
        byte[] input = new byte[text.length + 1];
        input[0] = (byte) template;
        System.arraycopy(text, 0, input, 1, text.length);
        return input;
    }

    static void clear(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            List<Path> all = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) {
                Files.delete(p);
            }
        }
    }
}
