package dev.llamajvm.soak;

import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/** The operations a worker picks from, with how often each is picked. */
final class Workload {

    /** An operation and its weight among all. */
    record Entry(String kind, int weight, Consumer<Attempt> operation) {
    }

    private final List<Entry> entries;
    private final int totalWeight;

    Workload(Fixtures fixtures) {
        GenerationOperations work = new GenerationOperations(fixtures);
        DisruptionOperations trouble = new DisruptionOperations(fixtures);
        entries = List.of(
                new Entry("complete", 14, work::complete),
                new Entry("stream", 10, work::stream),
                new Entry("chat", 14, work::chat),
                new Entry("embed", 6, work::embed),
                new Entry("vision", 4, work::vision),
                new Entry("cancel", 8, trouble::cancel),
                new Entry("interrupt", 8, trouble::interrupt),
                new Entry("close-session-while-streaming", 5, trouble::closeSessionWhileStreaming),
                new Entry("close-model-while-streaming", 3, trouble::closeModelWhileStreaming),
                new Entry("reload", 1, trouble::reload));
        totalWeight = entries.stream().mapToInt(Entry::weight).sum();
    }

    Entry pick(RandomGenerator random) {
        int at = random.nextInt(totalWeight);
        for (Entry entry : entries) {
            at -= entry.weight();
            if (at < 0) {
                return entry;
            }
        }
        throw new AssertionError("weights do not add up");
    }
}
