package dev.kaizen.store;

import static dev.kaizen.store.Fixtures.failed;
import static dev.kaizen.store.Fixtures.passed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaizen.core.archive.Admission;
import dev.kaizen.core.archive.Archive;
import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.eval.Outcome;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.program.Patch;
import dev.kaizen.core.program.ProgramId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Archive} must do. Each implementation's test extends this class and says how
 * to open a fresh, empty archive.
 */
abstract class ArchiveContract {

    /** A fresh, empty archive with {@code islands} islands. */
    protected abstract Archive newArchive(int islands);

    @Test
    void stores_a_candidate_and_finds_it_by_id() {
        try (Archive archive = newArchive(2)) {
            Candidate c = passed("print(1)\n", 1.5, 0, "a");
            Admission admission = archive.add(c);

            assertThat(admission.candidate()).isEqualTo(c.withSeq(1));
            assertThat(archive.find(c.id())).contains(admission.candidate());
            assertThat(archive.contains(c.id())).isTrue();
            assertThat(archive.size()).isEqualTo(1);
            ProgramId other = Code.single("main.py", "print(2)\n").id();
            assertThat(archive.contains(other)).isFalse();
            assertThat(archive.find(other)).isEmpty();
        }
    }

    @Test
    void keeps_every_field_of_a_candidate() {
        Code code = Code.of(Map.of("src/a.py", "def f():\n    return 'ünï 漢字 🎉'", "src/b.py#0", "x = 1\r\ny = 2\n", "empty", ""));
        Code parentCode = Code.single("src/a.py", "def f():\n    return 0\n");
        Evaluation crashed = Evaluation.failed(new Outcome.Crashed(137, "killed by signal 9"), "Traceback:\n  line 3", "compile",
                Duration.ofMillis(987));
        Candidate c = new Candidate(0, code.id(), code, List.of(parentCode.id(), Code.single("x", "y").id()), "llm-diff",
                "tighten the loop", new Patch("--- a/src/a.py\n+++ b/src/a.py\n@@ -1,1 +1,1 @@\n-a\n+b\n"), crashed, Double.NaN,
                1, "len=3/speed=2", 17, Fixtures.T0);
        try (Archive archive = newArchive(2)) {
            Candidate stored = archive.add(c).candidate();

            assertThat(stored).isEqualTo(c.withSeq(1));
            assertThat(archive.find(c.id())).contains(stored);
            assertThat(archive.history(0, 10)).containsExactly(stored);
        }
    }

    @Test
    void keeps_every_kind_of_outcome() {
        List<Outcome> outcomes = List.of(new Outcome.Passed(), new Outcome.Incorrect("wrong answer"), new Outcome.Crashed(3, "exit 3"),
                new Outcome.TimedOut(Duration.ofMillis(1500)), new Outcome.Malformed("no score"), new Outcome.Rejected("guard"),
                new Outcome.CompileError("Sorter.java:3: error: ; expected"), new Outcome.Violation("called System.exit(3)"));
        try (Archive archive = newArchive(1)) {
            for (int i = 0; i < outcomes.size(); i++) {
                Candidate c = outcomes.get(i) instanceof Outcome.Passed
                        ? passed("ok " + i, i, 0, "c" + i)
                        : failed("bad " + i, outcomes.get(i), 0, "c" + i);
                archive.add(c);
            }

            assertThat(archive.history(0, 10)).extracting(c -> c.evaluation().outcome()).containsExactlyElementsOf(outcomes);
        }
    }

    @Test
    void assigns_sequence_numbers_in_the_order_candidates_are_added() {
        try (Archive archive = newArchive(1)) {
            for (int i = 1; i <= 5; i++) {
                assertThat(archive.add(passed("v" + i, i, 0, "a")).candidate().seq()).isEqualTo(i);
            }
            assertThat(archive.size()).isEqualTo(5);
        }
    }

    @Test
    void rejects_a_program_that_is_already_stored() {
        try (Archive archive = newArchive(1)) {
            Candidate c = passed("same code", 1, 0, "a");
            archive.add(c);

            assertThatThrownBy(() -> archive.add(passed("same code", 9, 0, "b")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(c.id().shortHex())
                    .hasMessageContaining("already stored");
            assertThat(archive.size()).isEqualTo(1);
            assertThat(archive.elites(0)).extracting(Candidate::fitness).containsExactly(1.0);
            assertThat(archive.add(passed("next", 0.5, 0, "c")).candidate().seq()).isEqualTo(2);
        }
    }

    @Test
    void rejects_a_candidate_for_an_island_that_does_not_exist() {
        try (Archive archive = newArchive(2)) {
            assertThatThrownBy(() -> archive.add(passed("x", 1, 2, "a"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("island 2");
            assertThat(archive.size()).isZero();
            assertThatThrownBy(() -> archive.elites(5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("island 5");
        }
    }

    @Test
    void lists_elites_fittest_first_and_the_earlier_first_among_equals() {
        try (Archive archive = newArchive(1)) {
            archive.add(passed("a", 3, 0, "a"));
            archive.add(passed("b", 5, 0, "b"));
            archive.add(passed("c", 5, 0, "c"));
            archive.add(passed("d", 1, 0, "d"));

            assertThat(archive.elites(0)).extracting(Candidate::cell).containsExactly("b", "c", "a", "d");
        }
    }

    @Test
    void a_cell_keeps_its_elite_against_a_less_fit_or_equally_fit_candidate() {
        try (Archive archive = newArchive(1)) {
            Candidate first = archive.add(passed("first", 2, 0, "a")).candidate();

            Admission worse = archive.add(passed("worse", 1, 0, "a"));
            Admission equal = archive.add(passed("equal", 2, 0, "a"));

            assertThat(worse.elite()).isFalse();
            assertThat(equal.elite()).isFalse();
            assertThat(equal.newBest()).isFalse();
            assertThat(archive.elites(0)).containsExactly(first);
            assertThat(archive.best()).contains(first);
            assertThat(archive.size()).isEqualTo(3);
        }
    }

    @Test
    void a_fitter_candidate_takes_the_cell() {
        try (Archive archive = newArchive(1)) {
            archive.add(passed("first", 2, 0, "a"));
            archive.add(passed("other cell", 1, 0, "b"));

            Admission fitter = archive.add(passed("fitter", 2.5, 0, "a"));

            assertThat(fitter.elite()).isTrue();
            assertThat(fitter.newBest()).isTrue();
            assertThat(archive.elites(0)).extracting(Candidate::seq).containsExactly(3L, 2L);
            assertThat(archive.best()).contains(fitter.candidate());
        }
    }

    @Test
    void a_new_elite_that_is_not_the_fittest_overall_is_not_a_new_best() {
        try (Archive archive = newArchive(1)) {
            archive.add(passed("top", 10, 0, "a"));

            Admission admission = archive.add(passed("elsewhere", 3, 0, "b"));

            assertThat(admission.elite()).isTrue();
            assertThat(admission.newBest()).isFalse();
        }
    }

    @Test
    void failed_and_infeasible_candidates_are_stored_but_never_elites() {
        try (Archive archive = newArchive(1)) {
            Admission crashed = archive.add(failed("crash", new Outcome.Crashed(1, "segfault"), 0, "a"));
            Admission infeasible = archive.add(passed("infeasible", Double.NaN, 0, "a"));

            assertThat(crashed.elite()).isFalse();
            assertThat(crashed.newBest()).isFalse();
            assertThat(infeasible.elite()).isFalse();
            assertThat(archive.elites(0)).isEmpty();
            assertThat(archive.best()).isEmpty();
            assertThat(archive.size()).isEqualTo(2);
            assertThat(archive.find(infeasible.candidate().id())).hasValueSatisfying(c -> assertThat(c.fitness()).isNaN());
        }
    }

    @Test
    void place_offers_a_stored_candidate_to_another_island() {
        try (Archive archive = newArchive(3)) {
            Candidate c = archive.add(passed("migrant", 4, 0, "a")).candidate();
            archive.add(passed("resident", 5, 2, "a"));

            assertThat(archive.place(c.id(), 1)).isTrue();
            assertThat(archive.place(c.id(), 1)).isFalse();
            assertThat(archive.place(c.id(), 2)).isFalse();
            assertThat(archive.elites(1)).containsExactly(c.withIsland(1));
            assertThat(archive.elites(0)).containsExactly(c);
            assertThat(archive.find(c.id())).contains(c);
        }
    }

    @Test
    void place_fails_for_an_unknown_program_or_island() {
        try (Archive archive = newArchive(2)) {
            Candidate c = archive.add(passed("x", 1, 0, "a")).candidate();
            ProgramId unknown = Code.single("main.py", "never added").id();

            assertThatThrownBy(() -> archive.place(unknown, 1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(unknown.shortHex());
            assertThatThrownBy(() -> archive.place(c.id(), 7)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("island 7");
        }
    }

    @Test
    void never_loses_the_best_over_a_long_random_sequence_of_adds_and_migrations() {
        int islands = 3;
        SplittableRandom random = new SplittableRandom(20250301);
        List<Map<String, Candidate>> model = new ArrayList<>();
        for (int i = 0; i < islands; i++) {
            model.add(new HashMap<>());
        }
        List<Candidate> stored = new ArrayList<>();
        Candidate best = null;
        try (Archive archive = newArchive(islands)) {
            for (int step = 0; step < 1500; step++) {
                if (!stored.isEmpty() && random.nextInt(5) == 0) {
                    Candidate migrant = stored.get(random.nextInt(stored.size()));
                    int island = random.nextInt(islands);
                    boolean expected = takes(model.get(island), migrant);
                    assertThat(archive.place(migrant.id(), island)).as("place at step %d", step).isEqualTo(expected);
                    if (expected) {
                        model.get(island).put(migrant.cell(), migrant.withIsland(island));
                    }
                } else {
                    double fitness = random.nextInt(8) == 0 ? Double.NaN : Math.floor(random.nextDouble() * 50) / 2;
                    Candidate c = passed("step " + step, fitness, random.nextInt(islands), "c" + random.nextInt(6));
                    Admission admission = archive.add(c);
                    Candidate added = admission.candidate();
                    boolean expectedElite = takes(model.get(c.island()), added);
                    boolean expectedBest = added.feasible() && (best == null || added.fitness() > best.fitness());
                    assertThat(admission.elite()).as("elite at step %d", step).isEqualTo(expectedElite);
                    assertThat(admission.newBest()).as("new best at step %d", step).isEqualTo(expectedBest);
                    if (expectedElite) {
                        model.get(c.island()).put(c.cell(), added);
                    }
                    if (expectedBest) {
                        best = added;
                    }
                    stored.add(added);
                }
                assertThat(archive.best()).as("best at step %d", step).isEqualTo(java.util.Optional.ofNullable(best));
            }
            for (int i = 0; i < islands; i++) {
                List<Candidate> expected = new ArrayList<>(model.get(i).values());
                expected.sort(Comparator.comparingDouble(Candidate::fitness).reversed().thenComparingLong(Candidate::seq));
                assertThat(archive.elites(i)).as("elites of island %d", i).containsExactlyElementsOf(expected);
            }
            assertThat(archive.size()).isEqualTo(stored.size());
        }
    }

    private static boolean takes(Map<String, Candidate> cells, Candidate c) {
        Candidate incumbent = cells.get(c.cell());
        return c.feasible() && (incumbent == null || c.fitness() > incumbent.fitness());
    }

    @Test
    void pages_through_history_by_sequence_number() {
        try (Archive archive = newArchive(1)) {
            for (int i = 0; i < 25; i++) {
                archive.add(passed("h" + i, i, 0, "c" + (i % 3)));
            }

            assertThat(archive.history(0, 10)).extracting(Candidate::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(archive.history(10, 10)).extracting(Candidate::seq).startsWith(11L).endsWith(20L).hasSize(10);
            assertThat(archive.history(20, 10)).extracting(Candidate::seq).containsExactly(21L, 22L, 23L, 24L, 25L);
            assertThat(archive.history(25, 10)).isEmpty();
            assertThat(archive.history(0, 0)).isEmpty();
            assertThat(archive.history(-5, 2)).extracting(Candidate::seq).containsExactly(1L, 2L);
            assertThat(archive.history(3, 1).get(0)).isEqualTo(archive.find(archive.history(3, 1).get(0).id()).orElseThrow());
        }
    }

    @Test
    void keeps_run_level_meta() {
        try (Archive archive = newArchive(1)) {
            archive.putMeta("ledger.head", "abc");
            archive.putMeta("elapsed.ms", "10");
            archive.putMeta("elapsed.ms", "20");

            assertThat(archive.meta("ledger.head")).contains("abc");
            assertThat(archive.meta("elapsed.ms")).contains("20");
            assertThat(archive.meta("missing")).isEmpty();
        }
    }

    @Test
    void reports_its_island_count() {
        try (Archive archive = newArchive(4)) {
            assertThat(archive.islands()).isEqualTo(4);
            assertThat(archive.elites(3)).isEmpty();
            assertThat(archive.best()).isEmpty();
            assertThat(archive.size()).isZero();
        }
    }
}
