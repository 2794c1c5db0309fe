package dev.llamajvm.soak;

import dev.llamajvm.Format;
import dev.llamajvm.GenerateOptions;
import dev.llamajvm.Sampling;
import dev.llamajvm.Tool;
import dev.llamajvm.TurnOptions;

import java.util.List;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Random choices for one worker: prompts, sampling chains, generation and turn options. Never
 * ignoreEos together with a grammar (that combination is refused by the library, not soaked).
 */
final class RandomOptions {

    /** A GBNF grammar and what a reply it shaped must match once the model ends it. */
    record Constraint(String gbnf, Pattern reply) {
    }

    /** What a chat turn asks for, and how to check a reply the model ended itself. */
    enum TurnShape { TEXT, JSON, JSON_SCHEMA, GRAMMAR, TOOLS_AUTO, TOOLS_REQUIRED }

    static final List<Constraint> GRAMMARS = List.of(
            new Constraint("root ::= \"yes\" | \"no\"", Pattern.compile("yes|no")),
            new Constraint("root ::= [0-9]+", Pattern.compile("[0-9]+")),
            new Constraint("root ::= \"The \" [a-z]+ (\" \" [a-z]+)* \".\"", Pattern.compile("The [a-z]+( [a-z]+)*\\.")),
            new Constraint("root ::= \"é\" | \"€\" | \"中文\"", Pattern.compile("é|€|中文")));

    static final String SCHEMA = """
            {"type": "object",
             "properties": {
               "title": {"type": "string", "maxLength": 8},
               "priority": {"type": "string", "enum": ["low", "high"]},
               "tags": {"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 2}},
             "required": ["title", "priority", "tags"],
             "additionalProperties": false}""";

    static final Tool WEATHER = Tool.of("get_weather", "Current weather in a city", """
            {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}""");

    private static final List<String> PROMPTS = List.of("Once upon a time", "The little dog", "Lily wanted to",
            "One day, a boy named Tom", "The sun was", "Mia and her mom went to the park.");
    private static final List<String> STOPS = List.of(".", "the", "\n", "Lily", "a", "!");
    private static final String SENTENCE = "Once upon a time, a little girl named Lily found a shiny red ball in the park. ";

    private final RandomGenerator random;

    RandomOptions(RandomGenerator random) {
        this.random = random;
    }

    RandomGenerator random() {
        return random;
    }

    boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    String prompt() {
        return pick(PROMPTS);
    }

    /** A prompt of about {@code sentences} sentences: long enough for a cancel to land during its evaluation. */
    static String longPrompt(int sentences) {
        return SENTENCE.repeat(sentences).strip();
    }

    int maxTokens() {
        return 1 + random.nextInt(48);
    }

    /** Microseconds before another thread acts: spread so that some land in the prompt, some in the reply. */
    long delayMicros() {
        return (long) Math.pow(10, 1 + 4.5 * random.nextDouble()); // 10 µs .. about 300 ms, log-uniform
    }

    /** Greedy or seeded, with a random selection of llama.cpp's stages in a sensible order. */
    Sampling sampling() {
        boolean greedy = chance(0.4);
        Sampling chain = greedy ? Sampling.greedy() : Sampling.seeded(random.nextInt(1_000_000));
        if (chance(0.3)) {
            chain = chain.penalties(64, 1.1f, 0.1f, 0.1f);
        }
        if (chance(0.2)) {
            chain = chain.dry(0.8f, 1.75f, 2, 64);
        }
        if (greedy) {
            return chain;
        }
        if (chance(0.5)) {
            chain = chain.topK(1 + random.nextInt(60));
        }
        if (chance(0.3)) {
            chain = chain.typical(0.9f);
        }
        if (chance(0.5)) {
            chain = chain.topP(0.5f + 0.5f * random.nextFloat());
        }
        if (chance(0.3)) {
            chain = chain.minP(0.05f);
        }
        if (chance(0.2)) {
            chain = chain.xtc(0.5f, 0.1f);
        }
        chain = chain.temperature(0.2f + 1.2f * random.nextFloat());
        return chance(0.15) ? chain.mirostatV2(5f, 0.1f) : chain;
    }

    /** Token limit, maybe stop strings, a sampling chain, and ignoreEos now and then (there is no grammar). */
    GenerateOptions generate() {
        GenerateOptions options = GenerateOptions.defaults().maxTokens(maxTokens()).sampling(sampling());
        if (chance(0.3)) {
            options = options.stopStrings(pick(STOPS));
        }
        return chance(0.3) ? options.ignoreEos(true) : options;
    }

    /** Like {@link #generate()}, with a grammar (so never ignoreEos). */
    GenerateOptions generate(Constraint grammar) {
        return generate().ignoreEos(false).sampling(sampling().grammar(grammar.gbnf()));
    }

    TurnShape turnShape() {
        return pick(List.of(TurnShape.values()));
    }

    /** Options for a chat turn of {@code shape}; ignoreEos only for plain text (tools may bring a grammar). */
    TurnOptions turn(TurnShape shape, Constraint grammar) {
        GenerateOptions plain = generate();
        // A grammar checks every one of Llama 3's 128K tokens at each step: shorter replies keep turns short.
        GenerateOptions constrained = plain.ignoreEos(false).maxTokens(Math.min(plain.maxTokens(), 24));
        return switch (shape) {
            case TEXT -> TurnOptions.defaults().generate(plain);
            case JSON -> TurnOptions.withFormat(Format.json()).generate(constrained);
            case JSON_SCHEMA -> TurnOptions.withFormat(Format.jsonSchema(SCHEMA)).generate(constrained);
            case GRAMMAR -> TurnOptions.withFormat(Format.grammar(grammar.gbnf())).generate(constrained);
            // REQUIRED adds llama.cpp's tool-call grammar; AUTO does for some templates (ChatML's generic format).
            case TOOLS_AUTO -> TurnOptions.withTools(WEATHER).generate(constrained);
            case TOOLS_REQUIRED -> TurnOptions.withTools(WEATHER).toolChoice(TurnOptions.ToolChoice.REQUIRED)
                    .generate(constrained);
        };
    }
}
