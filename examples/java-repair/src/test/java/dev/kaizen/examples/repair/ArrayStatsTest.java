package dev.kaizen.examples.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** JUnit 5 tests of sum, mean and max. */
class ArrayStatsTest {

    @Test
    void sumOfNothingIsZero() {
        assertEquals(0, ArrayStats.sum(new int[0]));
    }

    @Test
    void sumAddsEveryValue() {
        assertEquals(10, ArrayStats.sum(new int[] {1, 2, 3, 4}));
    }

    @Test
    void sumOfOneValueIsTheValue() {
        assertEquals(7, ArrayStats.sum(new int[] {7}));
    }

    @Test
    void sumDoesNotOverflowInt() {
        assertEquals(4_000_000_000L, ArrayStats.sum(new int[] {2_000_000_000, 2_000_000_000}));
    }

    @Test
    void meanOfNothingIsNaN() {
        assertTrue(Double.isNaN(ArrayStats.mean(new int[0])));
    }

    @Test
    void meanDividesByTheCount() {
        assertEquals(2.5, ArrayStats.mean(new int[] {1, 2, 3, 4}), 1e-12);
    }

    @Test
    void meanOfOneValueIsTheValue() {
        assertEquals(-3.0, ArrayStats.mean(new int[] {-3}), 1e-12);
    }

    @Test
    void maxOfNothingIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> ArrayStats.max(new int[0]));
    }

    @Test
    void maxFindsTheLargest() {
        assertEquals(9, ArrayStats.max(new int[] {3, 9, -2, 4}));
    }

    @Test
    void maxOfNegativesIsTheLeastNegative() {
        assertEquals(-2, ArrayStats.max(new int[] {-5, -2, -7}));
    }
}
