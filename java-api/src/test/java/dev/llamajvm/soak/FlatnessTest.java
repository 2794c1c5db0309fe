package dev.llamajvm.soak;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The soak's verdict on its measurements (./soak.sh runs the soak itself). */
class FlatnessTest {

    private static final long MB = 1024 * 1024;

    /** Measurements with malloc's bytes in use {@code mallocMb}; native RSS moves with it, 300 MB above. */
    private static List<ProcessSample> samples(int threads, int fds, double... mallocMb) {
        List<ProcessSample> samples = new ArrayList<>();
        for (int i = 0; i < mallocMb.length; i++) {
            long resident = (long) ((300 + 200 + mallocMb[i]) * MB); // 300 MB Java, 200 MB mappings
            samples.add(new ProcessSample(Duration.ofSeconds(30L * i), 100L * i, resident + 200 * MB, resident, 300 * MB,
                    (long) (mallocMb[i] * MB), threads, fds));
        }
        return samples;
    }

    private static ProcessSample withResident(ProcessSample s, double extraMb) {
        long resident = s.residentBytes() + (long) (extraMb * MB);
        return new ProcessSample(s.at(), s.operations(), resident, resident, s.javaCommittedBytes(), s.mallocBytes(),
                s.threads(), s.fileDescriptors());
    }

    @Test
    void noiseWithoutTrendIsFlat() {
        assertEquals(List.of(), Flatness.violations(samples(38, 29, 259, 261, 258, 263, 256, 260, 259)));
    }

    @Test
    void mallocGrowthPastTheLimitIsNotFlat() {
        double high = 259 + Flatness.MAX_MALLOC_GROWTH_MB + 1;
        List<String> broken = Flatness.violations(samples(38, 29, 259, 266, 270, 259, high, high, high));
        assertTrue(broken.get(0).contains("grew by 17.0 MB"), broken.toString());
    }

    @Test
    void aSingleJumpIsNotGrowth() {
        assertEquals(List.of(), Flatness.violations(samples(38, 29, 259, 260, 259, 258, 260, 259, 259 + 20)));
    }

    @Test
    void aSteadyRiseIsATrendEvenWhenTheLastValueIsUnderTheGrowthLimit() {
        List<String> broken = Flatness.violations(samples(38, 29, 250, 253, 256, 259, 262, 265));
        assertEquals(1, broken.size(), broken.toString());
        assertTrue(broken.get(0).contains("trends up"), broken.get(0));
    }

    @Test
    void residentGrowthPastTheCeilingIsNotFlatThoughMallocIsFlat() {
        List<ProcessSample> samples = new ArrayList<>(samples(38, 29, 259, 259, 259, 259, 259));
        samples.add(withResident(samples.remove(samples.size() - 1), Flatness.MAX_NATIVE_GROWTH_MB + 1));
        List<String> broken = Flatness.violations(samples);
        assertEquals(1, broken.size(), broken.toString());
        assertTrue(broken.get(0).startsWith("native resident memory grew by 193.0 MB"), broken.get(0));
    }

    @Test
    void threadsOrDescriptorsAboveTheToleranceAreNotFlat() {
        List<ProcessSample> samples = new ArrayList<>(samples(38, 29, 259, 259, 259, 259, 259));
        ProcessSample last = samples.remove(samples.size() - 1);
        samples.add(new ProcessSample(last.at(), last.operations(), last.untrimmedBytes(), last.residentBytes(),
                last.javaCommittedBytes(), last.mallocBytes(), 38 + Flatness.THREAD_TOLERANCE + 1,
                29 + Flatness.FD_TOLERANCE + 1));
        List<String> broken = Flatness.violations(samples);
        assertEquals(2, broken.size(), broken.toString());
        assertTrue(broken.get(0).startsWith("OS threads rose from 38 to 41"), broken.get(0));
        assertTrue(broken.get(1).startsWith("open file descriptors rose from 29 to 32"), broken.get(1));
    }

    @Test
    void tooFewMeasurementsCannotBeJudged() {
        List<String> broken = Flatness.violations(samples(38, 29, 259, 259, 259));
        assertEquals(1, broken.size(), broken.toString());
        assertTrue(broken.get(0).startsWith("only 3 measurements"), broken.get(0));
    }
}
