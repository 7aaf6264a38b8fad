package dev.kaizen.examples.repair;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** JUnit 4 tests of indexOf and runs: the older half of the suite. */
public class ArrayStatsLegacyTest {

    private static final int[] SORTED = {-4, 0, 3, 8, 15, 42};

    @Test
    public void indexOfFindsEveryElement() {
        for (int i = 0; i < SORTED.length; i++) {
            assertEquals("index of " + SORTED[i], i, ArrayStats.indexOf(SORTED, SORTED[i]));
        }
    }

    @Test
    public void indexOfMissesAbsentKeys() {
        assertEquals(-1, ArrayStats.indexOf(SORTED, 5));
        assertEquals(-1, ArrayStats.indexOf(SORTED, 100));
        assertEquals(-1, ArrayStats.indexOf(new int[0], 1));
    }

    @Test
    public void indexOfInASingleton() {
        assertEquals(0, ArrayStats.indexOf(new int[] {5}, 5));
    }

    @Test
    public void runsOfNothing() {
        assertEquals(0, ArrayStats.runs(new int[0]));
    }

    @Test
    public void runsCountsChanges() {
        assertEquals(3, ArrayStats.runs(new int[] {1, 1, 2, 1}));
    }

    @Test
    public void oneRunWhenAllEqual() {
        assertEquals(1, ArrayStats.runs(new int[] {4, 4, 4}));
    }
}
