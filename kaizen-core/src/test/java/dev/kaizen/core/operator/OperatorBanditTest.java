package dev.kaizen.core.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OperatorBanditTest {

    @Test
    void learns_to_prefer_the_operator_that_pays() {
        Map<String, Double> weights = new LinkedHashMap<>();
        weights.put("good", 1.0);
        weights.put("bad", 1.0);
        weights.put("off", 0.0);
        OperatorBandit bandit = new OperatorBandit(weights, 0.5, 0.995);
        SplittableRandom random = new SplittableRandom(5);
        Map<String, Integer> chosen = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            String op = bandit.choose(random);
            chosen.merge(op, 1, Integer::sum);
            double p = op.equals("good") ? 0.3 : 0.02;
            bandit.record(op, random.nextDouble() < p);
        }
        assertThat(chosen.getOrDefault("good", 0)).isGreaterThan(3 * chosen.getOrDefault("bad", 0));
        assertThat(chosen).doesNotContainKey("off");
    }

    @Test
    void refuses_when_every_operator_is_disabled() {
        assertThatThrownBy(() -> new OperatorBandit(Map.of("a", 0.0), 0.5, 1))
                .hasMessageContaining("every operator has weight 0");
    }
}
