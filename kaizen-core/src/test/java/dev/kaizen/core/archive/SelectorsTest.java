package dev.kaizen.core.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.program.Patch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SelectorsTest {

    private static List<Candidate> elites(int n) {
        List<Candidate> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Code code = Code.single("r", "v" + i);
            list.add(new Candidate(i + 1, code.id(), code, List.of(), "x", "", Patch.empty(),
                    Evaluation.passed(Map.of("score", (double) (n - i)), "", "", Duration.ZERO), n - i, 0, "c" + i, 0, Instant.EPOCH));
        }
        return list;
    }

    private static Map<Integer, Integer> counts(ParentSelector s, List<Candidate> elites) {
        SplittableRandom random = new SplittableRandom(1);
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < 5000; i++) {
            counts.merge(elites.indexOf(s.select(elites, random)), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void every_selector_favours_the_fitter_elites_to_its_own_degree() {
        List<Candidate> e = elites(10);
        Map<Integer, Integer> power = counts(Selectors.powerLaw(1.0), e);
        Map<Integer, Integer> proportional = counts(Selectors.fitnessProportional(), e);
        Map<Integer, Integer> tournament = counts(Selectors.tournament(3), e);
        Map<Integer, Integer> hill = counts(Selectors.hillClimbing(), e);
        for (Map<Integer, Integer> c : List.of(power, proportional, tournament)) {
            assertThat(c.getOrDefault(0, 0)).isGreaterThan(c.getOrDefault(9, 0));
            assertThat(c).containsKey(5);
        }
        assertThat(hill).containsOnlyKeys(0);
        // power law with alpha 1: rank 1 is picked about twice as often as rank 2
        assertThat(power.get(0) / (double) power.get(1)).isBetween(1.6, 2.4);
    }

    @Test
    void names_the_selectors_and_rejects_unknown_ones() {
        for (String name : Selectors.NAMES) {
            assertThat(Selectors.byName(name, 1, 2)).isNotNull();
        }
        assertThatThrownBy(() -> Selectors.byName("roulette", 1, 2)).hasMessageContaining("unknown selection 'roulette'");
    }
}
