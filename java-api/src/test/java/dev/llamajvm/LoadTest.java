package dev.llamajvm;

import dev.llamajvm.testing.NativeGrowth;
import dev.llamajvm.testing.Stories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many sessions on one model at once, and many sessions one after another without leaking. */
class LoadTest {

    private static final int SESSIONS = 4;
    private static final GenerateOptions GREEDY_48 = GenerateOptions.defaults().maxTokens(48).ignoreEos(true);
    private static final List<String> PROMPTS = List.of("Once upon a time", "The little dog", "Lily wanted to", "One day, a boy");

    private static LlamaModel model;

    @BeforeAll
    static void load() {
        model = Stories.model();
    }


    private static SessionOptions sessionOptions() {
        return SessionOptions.defaults().contextSize(256).threads(1);
    }

    /** Each prompt completed in a fresh session, one at a time. */
    private static List<List<Integer>> oneByOne(List<String> prompts) {
        List<List<Integer>> tokens = new ArrayList<>();
        for (String prompt : prompts) {
            try (Session session = model.newSession(sessionOptions())) {
                Reply reply = session.complete(prompt, GREEDY_48);
                assertEquals(48, reply.generatedTokens());
                tokens.add(reply.tokens());
            }
        }
        return tokens;
    }

    /**
     * Each prompt completed in its own session on its own thread, all at once; each thread opens
     * its session (concurrently too) and runs {@code rounds} completions in it, with reset between.
     */
    private static List<List<List<Integer>>> inParallel(List<String> prompts, int rounds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(prompts.size());
        CyclicBarrier together = new CyclicBarrier(prompts.size());
        try {
            List<Future<List<List<Integer>>>> futures = new ArrayList<>();
            for (String prompt : prompts) {
                Callable<List<List<Integer>>> work = () -> {
                    together.await(30, TimeUnit.SECONDS);
                    List<List<Integer>> replies = new ArrayList<>();
                    try (Session session = model.newSession(sessionOptions())) {
                        for (int r = 0; r < rounds; r++) {
                            together.await(30, TimeUnit.SECONDS);
                            session.reset();
                            replies.add(session.complete(prompt, GREEDY_48).tokens());
                        }
                    }
                    return replies;
                };
                futures.add(pool.submit(work));
            }
            List<List<List<Integer>>> results = new ArrayList<>();
            for (Future<List<List<Integer>>> future : futures) {
                results.add(future.get(5, TimeUnit.MINUTES));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fourSessionsWithTheSamePromptInParallelMatchOneByOne() throws Exception {
        List<String> same = List.of(PROMPTS.get(0), PROMPTS.get(0), PROMPTS.get(0), PROMPTS.get(0));
        List<Integer> expected = oneByOne(List.of(PROMPTS.get(0))).get(0);
        List<List<List<Integer>>> parallel = inParallel(same, 3);
        for (int s = 0; s < SESSIONS; s++) {
            for (int r = 0; r < parallel.get(s).size(); r++) {
                assertEquals(expected, parallel.get(s).get(r), "session " + s + ", round " + r);
            }
        }
    }

    @Test
    void fourSessionsWithDifferentPromptsInParallelMatchOneByOne() throws Exception {
        List<List<Integer>> expected = oneByOne(PROMPTS);
        assertTrue(expected.stream().distinct().count() > 1, "different prompts give different stories");
        List<List<List<Integer>>> parallel = inParallel(PROMPTS, 3);
        for (int s = 0; s < SESSIONS; s++) {
            for (int r = 0; r < parallel.get(s).size(); r++) {
                assertEquals(expected.get(s), parallel.get(s).get(r), "prompt '" + PROMPTS.get(s) + "', round " + r);
            }
        }
    }

    @Test
    void oneSessionPerThreadCanAlsoBeOpenedElsewhereAndHandedOver() throws Exception {
        List<Session> sessions = new ArrayList<>();
        for (int s = 0; s < SESSIONS; s++) {
            sessions.add(model.newSession(sessionOptions()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
        try {
            List<Future<List<Integer>>> futures = new ArrayList<>();
            for (int s = 0; s < SESSIONS; s++) {
                Session session = sessions.get(s);
                String prompt = PROMPTS.get(s);
                futures.add(pool.submit(() -> session.complete(prompt, GREEDY_48).tokens()));
            }
            List<List<Integer>> expected = oneByOne(PROMPTS);
            for (int s = 0; s < SESSIONS; s++) {
                assertEquals(expected.get(s), futures.get(s).get(5, TimeUnit.MINUTES), "prompt '" + PROMPTS.get(s) + "'");
            }
        } finally {
            pool.shutdownNow();
            sessions.forEach(Session::close);
        }
    }

    /** Resident memory of this process in bytes, from /proc/self/status. */
    private static void openGenerateClose() {
        try (Session session = model.newSession(SessionOptions.defaults().contextSize(128).threads(2))) {
            Reply reply = session.complete("Once upon a time", GenerateOptions.defaults().maxTokens(8).ignoreEos(true));
            assertEquals(8, reply.generatedTokens());
        }
    }

    @Test
    @Tag("leak")
    void aThousandSessionsOpenedAndClosedKeepTheResidentSizeFlat() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(NativeGrowth.measurable(), "needs Linux's /proc and malloc_trim (Java 22+)");
        NativeGrowth.Result result = NativeGrowth.of(50, 1_000, LoadTest::openGenerateClose);
        double growthMb = result.nativeGrowthMb();
        System.out.println("[leak] 1,000 sessions (contextSize 128, 2 threads, 8 tokens each) after a warm-up of 50: " + result);
        assertTrue(growthMb < 50, String.format("resident size grew by %.1f MB over 1,000 sessions", growthMb));
    }
}
