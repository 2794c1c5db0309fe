package dev.llamajvm.soak;

import dev.llamajvm.Image;
import dev.llamajvm.SessionOptions;
import dev.llamajvm.testing.Stories;
import dev.llamajvm.testing.TinyLlama3;

import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * What the workers share: stories260K and the random-weight tiny Llama 3 (with its Llama 3.2 chat
 * template and the tiny vision projector), each in a reloadable {@link ModelSlot}; per model a
 * prompt long enough for a cancel to land in its evaluation; a few pictures.
 */
final class Fixtures implements AutoCloseable {

    /** Every context the soak opens; the tiny models were trained for 512. */
    static final int CONTEXT = 512;
    /** Prompt tokens of the long prompts: room is left for the reply and a follow-up. */
    private static final int LONG_PROMPT_TOKENS = 300;

    final ModelSlot stories;
    final ModelSlot llama3;
    private final Map<ModelSlot, String> longPrompts;
    final List<Image> pictures;

    private Fixtures(ModelSlot stories, ModelSlot llama3) {
        this.stories = stories;
        this.llama3 = llama3;
        this.longPrompts = Map.of(stories, fitLongPrompt(stories), llama3, fitLongPrompt(llama3));
        this.pictures = List.of(picture(1, 40, 30), picture(2, 24, 24), picture(3, 64, 16));
    }

    static Fixtures load() {
        ModelSlot stories = new ModelSlot("stories260K", Stories.path(), false);
        try {
            return new Fixtures(stories, new ModelSlot("tiny-llama3", TinyLlama3.path(TinyLlama3.SEED), true));
        } catch (RuntimeException | Error e) {
            stories.close();
            throw e;
        }
    }

    List<ModelSlot> slots() {
        return List.of(stories, llama3);
    }

    String longPrompt(ModelSlot slot) {
        return longPrompts.get(slot);
    }

    /** A small context with random batch sizes and thread counts (1 or 2: the soak has many threads already). */
    static SessionOptions sessionOptions(RandomGenerator random) {
        int batch = List.of(16, 64, 512).get(random.nextInt(3));
        return SessionOptions.defaults().contextSize(CONTEXT).batchSize(batch).ubatchSize(batch)
                .threads(1 + random.nextInt(2)).batchThreads(1 + random.nextInt(2));
    }

    /** As many sentences as fit in {@link #LONG_PROMPT_TOKENS} of this model's tokens. */
    private static String fitLongPrompt(ModelSlot slot) {
        var tokenizer = slot.lease().model().tokenizer();
        int sentences = 1;
        while (tokenizer.tokenize(RandomOptions.longPrompt(sentences + 1), true, false).length <= LONG_PROMPT_TOKENS) {
            sentences++;
        }
        return RandomOptions.longPrompt(sentences);
    }

    /** A colourful picture; {@code seed} changes it. */
    private static Image picture(int seed, int width, int height) {
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int at = (y * width + x) * 3;
                rgb[at] = (byte) (x * 6 * seed);
                rgb[at + 1] = (byte) (y * 8 + seed * 40);
                rgb[at + 2] = (byte) ((x + y) * 3);
            }
        }
        return Image.ofRgb(width, height, rgb);
    }

    @Override
    public void close() {
        stories.close();
        llama3.close();
    }
}
