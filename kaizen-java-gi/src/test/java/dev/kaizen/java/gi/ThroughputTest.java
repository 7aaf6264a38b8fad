package dev.kaizen.java.gi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaizen.core.operator.Operator;
import dev.kaizen.core.operator.Proposal;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.target.Target;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A sanity number, printed rather than asserted: proposals per second on a hundred-line class. */
class ThroughputTest {

    @Test
    void prints_proposals_per_second_on_a_hundred_line_class() {
        Target target = Fixtures.target(Fixtures.LEDGER_PATH, Fixtures.LEDGER);
        Code seed = target.blueprint().seed();
        List<Operator> ops = JavaOperators.all();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            ops.get(i % ops.size()).propose(Fixtures.context(target, seed, random));
        }

        int made = 0;
        int calls = 600;
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            if (ops.get(i % ops.size()).propose(Fixtures.context(target, seed, random)).isPresent()) {
                made++;
            }
        }
        double sameParent = calls / ((System.nanoTime() - t0) / 1e9);

        // A new parent for every proposal: each call parses and indexes a program it has not seen.
        Code parent = seed;
        int fresh = 100;
        long t1 = System.nanoTime();
        for (int i = 0; i < fresh; i++) {
            Optional<Proposal> p = ops.get(i % ops.size()).propose(Fixtures.context(target, parent, random));
            if (p.isPresent()) {
                parent = p.get().code();
            }
        }
        double newParent = fresh / ((System.nanoTime() - t1) / 1e9);

        System.out.printf(Locale.ROOT, "java GI proposals on a %d-line class: %.0f/s on one parent (parse cached), %.0f/s with a new parent each time%n",
                Fixtures.LEDGER.lines().count(), sameParent, newParent);
        assertThat(made).isGreaterThan(calls / 2);
    }
}
