package dev.llamajvm;

import dev.llamajvm.testing.Stories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Completion sessions on stories260K: generation, streaming, stops, cancellation, lifetimes. */
class SessionTest {

    private static final String PROMPT = "Once upon a time";
    private static LlamaModel model;

    @BeforeAll
    static void load() {
        model = Stories.model();
    }


    private static Session newSession() {
        return model.newSession(SessionOptions.defaults().contextSize(256).threads(2));
    }

    @Test
    void modelInfoDescribesStories260K() {
        ModelInfo info = model.info();
        assertEquals("llama", info.architecture());
        assertEquals(512, info.vocabularySize());
        assertEquals(64, info.embeddingSize());
        assertEquals(5, info.layerCount());
        assertTrue(info.parameterCount() > 200_000 && info.parameterCount() < 400_000, "params " + info.parameterCount());
        assertEquals("llama", info.metadata().get("general.architecture"));
        assertEquals(1, info.specialTokens().bos());
        assertEquals(2, info.specialTokens().eos());
    }

    @Test
    void streamedPiecesConcatenateToTheReply() {
        try (Session session = newSession()) {
            GenerateOptions options = GenerateOptions.defaults().maxTokens(40);
            Reply reply = session.complete(PROMPT, options);
            List<String> pieces;
            try (Stream<String> stream = session.stream(PROMPT, options)) {
                pieces = stream.toList();
            }
            assertTrue(pieces.size() > 5, "pieces " + pieces);
            assertEquals(reply.text(), String.join("", pieces));
            List<String> callbackPieces = new ArrayList<>();
            Reply again = session.complete(PROMPT, options, callbackPieces::add);
            assertEquals(reply.text(), String.join("", callbackPieces));
            assertEquals(reply.tokens(), again.tokens());
            assertEquals(Reply.StopReason.MAX_TOKENS, reply.stopReason());
            assertEquals(40, reply.generatedTokens());
            assertTrue(reply.timings().generationTokensPerSecond() > 0);
        }
    }

    @Test
    void anExhaustedStreamStaysExhausted() {
        try (Session session = newSession()) {
            java.util.Iterator<String> pieces = session.stream(PROMPT, GenerateOptions.defaults().maxTokens(3)).iterator();
            while (pieces.hasNext()) {
                pieces.next();
            }
            assertFalse(pieces.hasNext(), "asking again after the end is still false");
            assertThrows(java.util.NoSuchElementException.class, pieces::next);
        }
    }

    @Test
    void aRepeatedPromptReusesTheCache() {
        try (Session session = newSession()) {
            Reply first = session.complete(PROMPT, GenerateOptions.defaults().maxTokens(8));
            assertEquals(0, first.cachedPromptTokens());
            Reply second = session.complete(PROMPT + first.text(), GenerateOptions.defaults().maxTokens(8));
            assertTrue(second.cachedPromptTokens() > 0, "cached " + second.cachedPromptTokens());
            assertTrue(second.promptTokens() < model.tokenizer().tokenize(PROMPT + first.text()).length);
        }
    }

    @Test
    void stopStringsEndTheReplyBeforeThem() {
        try (Session session = newSession()) {
            String full = session.complete(PROMPT, GenerateOptions.defaults().maxTokens(60)).text();
            int cut = full.indexOf("Lily");
            assertTrue(cut > 0, "the greedy story names Lily: " + full);
            Reply reply = session.complete(PROMPT, GenerateOptions.defaults().maxTokens(60).stopStrings("Lily"));
            assertEquals(Reply.StopReason.STOP_STRING, reply.stopReason());
            assertEquals(full.substring(0, cut), reply.text());
            try (Stream<String> stream = session.stream(PROMPT, GenerateOptions.defaults().maxTokens(60).stopStrings("Lily"))) {
                String streamed = stream.collect(Collectors.joining());
                assertEquals(reply.text(), streamed);
                assertFalse(streamed.contains("Li") && streamed.endsWith("Li"), "no part of the stop string leaks");
            }
        }
    }

    @Test
    void cancelFromAnotherThreadStopsAndTheSessionStaysUsable() throws Exception {
        try (Session session = newSession()) {
            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<Reply> result = new AtomicReference<>();
            Thread worker = new Thread(() -> result.set(session.complete(PROMPT,
                    GenerateOptions.defaults().maxTokens(100_000).ignoreEos(true),
                    piece -> started.countDown())));
            worker.start();
            started.await();
            session.cancel();
            worker.join(10_000);
            assertFalse(worker.isAlive());
            assertEquals(Reply.StopReason.CANCELLED, result.get().stopReason());
            Reply after = session.complete(PROMPT, GenerateOptions.defaults().maxTokens(5));
            assertEquals(5, after.generatedTokens());
        }
    }

    @Test
    void interruptingTheGeneratingThreadCancels() throws Exception {
        try (Session session = newSession()) {
            AtomicReference<Reply> result = new AtomicReference<>();
            Thread worker = new Thread(() -> result.set(session.complete(PROMPT,
                    GenerateOptions.defaults().maxTokens(100_000).ignoreEos(true),
                    piece -> Thread.currentThread().interrupt())));
            worker.start();
            worker.join(10_000);
            assertEquals(Reply.StopReason.CANCELLED, result.get().stopReason());
            assertTrue(result.get().generatedTokens() < 100);
        }
    }

    @Test
    void anInterruptAbortsPromptEvaluationThroughTheAbortCallback() {
        try (Session session = newSession()) {
            Thread.currentThread().interrupt(); // llama.cpp's abort callback sees it in the first graph
            Reply reply;
            try {
                reply = session.complete(PROMPT, GenerateOptions.defaults().maxTokens(5));
            } finally {
                Thread.interrupted();
            }
            assertEquals(Reply.StopReason.CANCELLED, reply.stopReason());
            assertEquals(0, reply.promptTokens(), "nothing of the aborted prompt evaluation is kept");
            assertEquals(0, reply.generatedTokens());
            assertEquals(0, session.cachedTokens());
            assertEquals(5, session.complete(PROMPT, GenerateOptions.defaults().maxTokens(5)).generatedTokens());
        }
    }

    @Test
    void twoThreadsOnOneSessionIsRejected() throws Exception {
        try (Session session = newSession()) {
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread worker = new Thread(() -> session.complete(PROMPT, GenerateOptions.defaults().maxTokens(3), piece -> {
                inside.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            worker.start();
            inside.await();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> session.complete(PROMPT));
            assertTrue(e.getMessage().contains("another thread"), e.getMessage());
            release.countDown();
            worker.join();
            assertEquals(2, session.complete(PROMPT, GenerateOptions.defaults().maxTokens(2)).generatedTokens());
        }
    }

    @Test
    void aThrowingCallbackStopsGenerationAndLeavesTheSessionUsable() {
        try (Session session = newSession()) {
            assertThrows(IllegalArgumentException.class, () -> session.complete(PROMPT, GenerateOptions.defaults(),
                    piece -> { throw new IllegalArgumentException("consumer failed"); }));
            assertEquals(3, session.complete(PROMPT, GenerateOptions.defaults().maxTokens(3)).generatedTokens());
        }
    }

    @Test
    void promptLongerThanTheContextIsATypedError() {
        try (Session session = model.newSession(SessionOptions.defaults().contextSize(64).threads(2))) {
            String longPrompt = "Once upon a time there was a cat. ".repeat(40);
            assertThrows(PromptTooLongException.class, () -> session.complete(longPrompt));
            assertEquals(2, session.complete(PROMPT, GenerateOptions.defaults().maxTokens(2)).generatedTokens());
        }
    }

    @Test
    void generationStopsWhenTheContextIsFull() {
        try (Session session = model.newSession(SessionOptions.defaults().contextSize(32).threads(2))) {
            Reply reply = session.complete(PROMPT, GenerateOptions.defaults().maxTokens(1000).ignoreEos(true));
            assertEquals(Reply.StopReason.CONTEXT_FULL, reply.stopReason());
        }
    }

    @Test
    void anInvalidGrammarFailsBeforeGenerating() {
        try (Session session = newSession()) {
            InvalidSamplingException e = assertThrows(InvalidSamplingException.class, () -> session.complete(PROMPT,
                    GenerateOptions.defaults().sampling(Sampling.greedy().grammar("root ::= ( unclosed"))));
            assertFalse(e.nativeLog().isEmpty(), "carries llama.cpp's reason");
            assertEquals(2, session.complete(PROMPT, GenerateOptions.defaults().maxTokens(2)).generatedTokens());
        }
    }

    @Test
    void aGrammarConstrainsTheReply() {
        try (Session session = newSession()) {
            Reply reply = session.complete(PROMPT, GenerateOptions.defaults().maxTokens(20)
                    .sampling(Sampling.seeded(3).grammar("root ::= (\"yes\" | \"no\") \".\"").temperature(1.0f)));
            assertTrue(reply.text().equals("yes.") || reply.text().equals("no."), reply.text());
        }
    }

    @Test
    void multiByteCharactersSplitAcrossTokensStreamWhole() {
        // stories260K has no tokens for these characters: its byte-fallback tokens spell them one
        // UTF-8 byte at a time, so every character here is split across tokens.
        String text = "héllo wörld €😀 中文";
        try (Session session = newSession()) {
            Sampling forced = Sampling.greedy().grammar("root ::= \"" + text + "\"");
            List<String> pieces;
            try (Stream<String> stream = session.stream(PROMPT, GenerateOptions.defaults().maxTokens(100).sampling(forced))) {
                pieces = stream.toList();
            }
            assertEquals(text, String.join("", pieces));
            assertTrue(pieces.stream().noneMatch(p -> p.contains("\uFFFD")), "no replacement character: " + pieces);
            Reply reply = session.complete(PROMPT, GenerateOptions.defaults().maxTokens(100).sampling(forced));
            assertEquals(text, reply.text());
            assertTrue(reply.generatedTokens() > text.codePointCount(0, text.length()),
                    "characters took several tokens: " + reply.tokens());
            int splitCharacters = 0;
            for (int token : reply.tokens()) {
                byte[] bytes = model.tokenizer().tokenBytes(token);
                if (bytes.length == 1 && (bytes[0] & 0x80) != 0) {
                    splitCharacters++;
                }
            }
            // 17 of the text's bytes are non-ASCII; all but a couple of accented letters come as lone bytes.
            assertTrue(splitCharacters >= 10, "byte tokens: " + splitCharacters);
        }
    }

    @Test
    void aGreedyChainStaysGreedyWhateverFollowsIt() {
        try (Session session = newSession()) {
            GenerateOptions penalised = GenerateOptions.defaults().maxTokens(24)
                    .sampling(Sampling.greedy().penalties(64, 1.3f, 0, 0));
            Reply a = session.complete(PROMPT, penalised);
            Reply b = session.complete(PROMPT, penalised);
            assertEquals(a.tokens(), b.tokens(), "greedy picks last, so the chain is deterministic");
        }
    }

    @Test
    void aGrammarAppliesBeforeStagesThatNarrowTheCandidates() {
        // top-k 2 first would leave only tokens the grammar forbids; llama.cpp aborts if one is accepted.
        try (Session session = newSession()) {
            Reply reply = session.complete(PROMPT, GenerateOptions.defaults().maxTokens(20)
                    .sampling(Sampling.seeded(1).topK(2).grammar("root ::= \"zq zq\"")));
            assertEquals("zq zq", reply.text());
        }
    }

    @Test
    void aFailedStateLoadLeavesAnEmptyConsistentCache(@org.junit.jupiter.api.io.TempDir Path dir) throws java.io.IOException {
        Path garbage = Files.writeString(dir.resolve("garbage.bin"), "not a session file");
        try (Session session = newSession()) {
            session.complete(PROMPT, GenerateOptions.defaults().maxTokens(4));
            assertThrows(LlamaException.class, () -> session.loadState(garbage));
            assertEquals(0, session.cachedTokens());
            Reply after = session.complete(PROMPT, GenerateOptions.defaults().maxTokens(4));
            assertEquals(0, after.cachedPromptTokens());
            assertEquals(4, after.generatedTokens());
        }
    }

    @Test
    void aCancelBeforeACallDoesNotCancelIt() {
        try (Session session = newSession()) {
            session.cancel();
            assertEquals(Reply.StopReason.MAX_TOKENS,
                    session.complete(PROMPT, GenerateOptions.defaults().maxTokens(3)).stopReason());
        }
    }

    @Test
    void closingTheModelWhileACallbackUsesItNeitherDeadlocksNorCrashes() throws Exception {
        LlamaModel own = LlamaModel.load(Stories.path());
        Session session = own.newSession(SessionOptions.defaults().contextSize(256).threads(2));
        CountDownLatch generating = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                session.complete(PROMPT, GenerateOptions.defaults().maxTokens(100_000).ignoreEos(true), piece -> {
                    generating.countDown();
                    own.tokenizer().tokenize(piece); // calls into the model being closed
                });
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        worker.start();
        generating.await();
        Thread closer = new Thread(own::close);
        closer.start();
        closer.join(20_000);
        worker.join(20_000);
        assertFalse(closer.isAlive(), "model.close() returned");
        assertFalse(worker.isAlive(), "the generating thread finished");
        assertTrue(failure.get() == null || failure.get() instanceof IllegalStateException, String.valueOf(failure.get()));
        assertThrows(IllegalStateException.class, () -> session.complete(PROMPT));
    }

    @Test
    void aCompleteFromInsideItsOwnCallbackIsRefusedAndTheReplyCompletes() {
        try (Session session = newSession()) {
            GenerateOptions options = GenerateOptions.defaults().maxTokens(10).ignoreEos(true);
            Reply alone = session.complete(PROMPT, options);
            session.reset();
            List<RuntimeException> refusals = new ArrayList<>();
            Reply reply = session.complete(PROMPT, options, piece -> {
                try {
                    session.complete("Nested");
                } catch (RuntimeException e) {
                    refusals.add(e);
                }
            });
            assertFalse(refusals.isEmpty(), "the nested call was accepted");
            assertTrue(refusals.stream().allMatch(e -> e instanceof IllegalStateException), refusals.toString());
            assertEquals(alone.text(), reply.text(), "the refused calls changed nothing");
            assertEquals(alone.tokens(), reply.tokens());
            IllegalStateException uncaught = assertThrows(IllegalStateException.class,
                    () -> session.complete(PROMPT, options, piece -> session.stream("Nested")));
            assertTrue(uncaught.getMessage().contains("callback"), uncaught.getMessage());
            assertEquals(10, session.complete(PROMPT, options).generatedTokens(), "the session stays usable");
        }
    }

    @Test
    void aStreamReadWhileItsModelClosesSaysTheModelWasClosed() throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            LlamaModel own = LlamaModel.load(Stories.path());
            Session session = own.newSession(SessionOptions.defaults().contextSize(256).threads(2));
            Stream<String> stream = session.stream(PROMPT, GenerateOptions.defaults().maxTokens(100_000).ignoreEos(true));
            CountDownLatch reading = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    stream.forEach(piece -> reading.countDown());
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            reader.start();
            reading.await();
            own.close();
            reader.join(20_000);
            assertFalse(reader.isAlive(), "the reader finished");
            // The reader either saw its reply end (cancelled by the close) or was told the model closed.
            if (failure.get() != null) {
                assertTrue(failure.get() instanceof IllegalStateException, failure.get().toString());
                assertTrue(failure.get().getMessage().contains("closed"), "attempt " + attempt + ": " + failure.get());
                assertFalse(failure.get().getMessage().contains("another thread"), "attempt " + attempt + ": " + failure.get());
            }
        }
    }

    @Test
    void aStreamsReplyIsTheSessionsLastReply() {
        try (Session session = newSession()) {
            assertEquals(null, session.lastReply());
            GenerateOptions options = GenerateOptions.defaults().maxTokens(7).ignoreEos(true);
            String streamed;
            try (Stream<String> pieces = session.stream(PROMPT, options)) {
                streamed = pieces.collect(Collectors.joining());
            }
            Reply last = session.lastReply();
            assertEquals(Reply.StopReason.MAX_TOKENS, last.stopReason());
            assertEquals(streamed, last.text());
            assertEquals(7, last.generatedTokens());
            try (Stream<String> pieces = session.stream(PROMPT, options)) {
                pieces.findFirst();
            }
            assertEquals(null, session.lastReply(), "a stream closed early has no reply");
            Reply completed = session.complete(PROMPT, options);
            assertEquals(completed, session.lastReply());
        }
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseThrows() {
        Session session = newSession();
        session.close();
        session.close();
        assertThrows(IllegalStateException.class, () -> session.complete(PROMPT));
    }

    @Test
    void closingTheModelClosesItsSessions() {
        try (LlamaModel own = LlamaModel.load(Stories.path())) {
            Session session = own.newSession(SessionOptions.defaults().contextSize(64).threads(2));
            own.close();
            assertThrows(IllegalStateException.class, () -> session.complete(PROMPT));
            assertThrows(IllegalStateException.class, own::tokenizer);
            assertThrows(IllegalStateException.class, own::newSession);
        }
    }

    @Test
    void stateSavedToAFileRestoresTheCache(@org.junit.jupiter.api.io.TempDir Path dir) throws java.io.IOException {
        Path file = dir.resolve("state.bin");
        try (Session session = newSession()) {
            session.complete(PROMPT, GenerateOptions.defaults().maxTokens(10));
            int cached = session.cachedTokens();
            session.saveState(file);
            assertTrue(Files.size(file) > 0);
            try (Session restored = newSession()) {
                restored.loadState(file);
                assertEquals(cached, restored.cachedTokens());
                Reply continued = restored.complete(PROMPT, GenerateOptions.defaults().maxTokens(4));
                assertTrue(continued.cachedPromptTokens() > 0);
            }
        }
    }
}
