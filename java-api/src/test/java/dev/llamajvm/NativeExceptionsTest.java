package dev.llamajvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamajvm.internal.engine.ChatGrammar;
import dev.llamajvm.internal.engine.Engine;
import dev.llamajvm.internal.engine.NativeModel;
import dev.llamajvm.testing.Stories;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * C++ exceptions of llama.cpp never reach the JVM (issue 12): inputs that made llama.cpp's grammar
 * throw through the foreign call, which ended the process, are typed exceptions, and the session
 * answers afterwards as a fresh one would.
 */
class NativeExceptionsTest {

    private static final String PROMPT = "Once upon a time";
    private static final String YES_OR_NO = "root ::= \" yes\" | \" no\"";
    private static final GenerateOptions FOLLOW_UP = GenerateOptions.defaults().maxTokens(8);
    private static LlamaModel model;

    @BeforeAll
    static void load() {
        model = Stories.model();
    }

    private static Session newSession() {
        return model.newSession(SessionOptions.defaults().contextSize(256).threads(2));
    }

    /** What a session that never failed answers to the follow-up. */
    private static String freshAnswer() {
        try (Session fresh = newSession()) {
            return fresh.complete(PROMPT, FOLLOW_UP).text();
        }
    }

    @Test
    void ignoreEosWithAGrammarIsRefusedBeforeAnythingIsEvaluated() {
        // The repro: this used to end the JVM with "Unexpected empty grammar stack".
        GenerateOptions repro = GenerateOptions.defaults().maxTokens(20).ignoreEos(true)
                .sampling(Sampling.greedy().grammar(YES_OR_NO));
        try (Session session = newSession()) {
            InvalidSamplingException e = assertThrows(InvalidSamplingException.class,
                    () -> session.complete(PROMPT, repro));
            assertTrue(e.getMessage().contains("ignoreEos") && e.getMessage().contains("maxTokens"), e.getMessage());
            assertEquals(0, session.cachedTokens(), "nothing was evaluated");
            assertThrows(InvalidSamplingException.class, () -> session.stream(PROMPT, repro));
            assertEquals(freshAnswer(), session.complete(PROMPT, FOLLOW_UP).text());
        }
    }

    @Test
    void aGrammarWhoseOnlyWayOutIsBannedFailsTheCallNotTheJvm() {
        // No ignoreEos: a logit bias bans end of generation, which is all a complete grammar allows.
        Map<Integer, Float> banned = new java.util.HashMap<>();
        for (int token = 0; token < model.info().vocabularySize(); token++) {
            if (model.info().specialTokens().eos() == token || model.info().specialTokens().eot() == token) {
                banned.put(token, Float.NEGATIVE_INFINITY);
            }
        }
        GenerateOptions options = GenerateOptions.defaults().maxTokens(20)
                .sampling(Sampling.greedy().grammar(YES_OR_NO).logitBias(banned));
        try (Session session = newSession()) {
            InferenceException e = assertThrows(InferenceException.class, () -> session.complete(PROMPT, options));
            assertTrue(e.getMessage().contains("no token is left to pick"), e.getMessage());
            assertEquals(freshAnswer(), session.complete(PROMPT, FOLLOW_UP).text());
            try (var stream = session.stream(PROMPT, options)) {
                assertThrows(InferenceException.class, stream::toList);
            }
            assertEquals(freshAnswer(), session.complete(PROMPT, FOLLOW_UP).text());
        }
    }

    @Test
    void aChatTurnWithAFormatAndIgnoreEosIsRefusedWithTheHistoryUntouched() {
        GenerateOptions ignoreEos = GenerateOptions.defaults().maxTokens(10).ignoreEos(true);
        try (ChatSession chat = model.newChat(ChatOptions.defaults()
                .session(SessionOptions.defaults().contextSize(512).threads(2)))) {
            chat.send("Hello", TurnOptions.defaults().generate(FOLLOW_UP));
            List<Message> before = chat.history();
            int cached = chat.session().cachedTokens();
            for (Format format : List.of(Format.grammar("root ::= \"yes\" | \"no\""), Format.json())) {
                assertThrows(InvalidSamplingException.class,
                        () -> chat.send("Yes or no?", TurnOptions.withFormat(format).generate(ignoreEos)), format.toString());
                assertThrows(InvalidSamplingException.class,
                        () -> chat.stream("Yes or no?", TurnOptions.withFormat(format).generate(ignoreEos)), format.toString());
                assertEquals(before, chat.history());
                assertEquals(cached, chat.session().cachedTokens(), "nothing was evaluated");
            }
            Reply reply = chat.send("Yes or no?", TurnOptions.defaults().generate(FOLLOW_UP));
            assertTrue(reply.generatedTokens() > 0);
            assertEquals(before.size() + 2, chat.history().size());
        }
    }

    @Test
    void anInvalidLazyTriggerPatternIsAnInvalidSamplingException() {
        // std::regex throws on it inside llama_sampler_init_grammar_lazy_patterns.
        try (NativeModel nativeModel = Engine.get().loadModel(Stories.path(), ModelOptions.defaults())) {
            ChatGrammar lazy = new ChatGrammar("root ::= \"a\"", true, List.of("(unclosed"), List.of(), List.of());
            InvalidSamplingException e = assertThrows(InvalidSamplingException.class,
                    () -> nativeModel.newSampler(Sampling.greedy(), lazy));
            assertTrue(e.getMessage().contains("rejected the chat grammar: "), e.getMessage()); // the regex error, not a NULL
        }
    }

    @Test
    void aPrefillTheChatGrammarRefusesIsAnInvalidSamplingException() {
        // common_sampler_init catches this throw of the prefill's accept; so must we.
        try (NativeModel nativeModel = Engine.get().loadModel(Stories.path(), ModelOptions.defaults())) {
            int[] zed = nativeModel.tokenize("zzz".getBytes(StandardCharsets.UTF_8), false, false);
            ChatGrammar strict = new ChatGrammar("root ::= \"a\"", false, List.of(), List.of(), List.of(zed[0]));
            InvalidSamplingException e = assertThrows(InvalidSamplingException.class,
                    () -> nativeModel.newSampler(Sampling.greedy(), strict));
            assertTrue(e.getMessage().contains("does not accept the assistant header"), e.getMessage());
        }
    }

    /** llama.cpp's GBNF parser recurses per group: 10,000 nested groups overflowed the stack and ended the JVM. */
    @Test
    void aGrammarNestedTooDeeplyIsRefusedBeforeLlamaCppParsesIt() {
        String deep = "root ::= " + "(".repeat(10_000) + "\" yes\"" + ")".repeat(10_000);
        GenerateOptions refused = GenerateOptions.defaults().maxTokens(4).sampling(Sampling.greedy().grammar(deep));
        // Brackets inside strings, character classes and comments are not groups.
        String quoted = "root ::= \" (\" [(] \" yes\" # " + "(".repeat(1_000) + "\n";
        String nested = "root ::= " + "(".repeat(200) + "\" yes\"" + ")".repeat(200);
        try (Session session = newSession()) {
            InvalidSamplingException e = assertThrows(InvalidSamplingException.class,
                    () -> session.complete(PROMPT, refused));
            assertTrue(e.getMessage().contains("nests groups"), e.getMessage());
            assertEquals(" (( yes", session.complete(PROMPT, GenerateOptions.defaults().maxTokens(8)
                    .sampling(Sampling.greedy().grammar(quoted))).text());
            assertEquals(" yes", session.complete(PROMPT, GenerateOptions.defaults().maxTokens(8)
                    .sampling(Sampling.greedy().grammar(nested))).text());
        }
    }

    /** {@code {1,0}} made llama.cpp generate grammar rules until memory ran out (found by fuzzing). */
    @Test
    void aRepetitionWhoseMostIsBelowItsLeastIsRefused() {
        GenerateOptions refused = GenerateOptions.defaults().maxTokens(4)
                .sampling(Sampling.greedy().grammar("root ::= \" yes\"{1,0}"));
        GenerateOptions quoted = GenerateOptions.defaults().maxTokens(8)
                .sampling(Sampling.greedy().grammar("root ::= \" {1,0}\""));
        try (Session session = newSession()) {
            InvalidSamplingException e = assertThrows(InvalidSamplingException.class,
                    () -> session.complete(PROMPT, refused));
            assertTrue(e.getMessage().contains("{1,0}"), e.getMessage());
            assertEquals(" {1,0}", session.complete(PROMPT, quoted).text());
        }
    }
}
