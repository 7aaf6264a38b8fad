package dev.kaizen.core.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SepCmaEsTest {

    @Test
    void minimises_a_shifted_ellipsoid() {
        int n = 10;
        SepCmaEs cma = new SepCmaEs(new double[n], 0.5);
        SplittableRandom random = new SplittableRandom(3);
        double best = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < 6000; i++) {
            SepCmaEs.Sample s = cma.ask(random);
            double f = 0;
            for (int d = 0; d < n; d++) {
                double x = s.x()[d] - 1.0;
                f -= (d + 1) * x * x;
            }
            best = Math.max(best, f);
            cma.tell(s, f);
        }
        assertThat(best).isGreaterThan(-1e-6);
        for (double m : cma.mean()) {
            assertThat(m).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-2));
        }
    }

    @Test
    void ignores_late_results_from_an_older_generation() {
        SepCmaEs cma = new SepCmaEs(new double[] {0, 0}, 1);
        SplittableRandom random = new SplittableRandom(1);
        SepCmaEs.Sample late = cma.ask(random);
        for (int i = 0; i < cma.populationSize(); i++) {
            cma.tell(cma.ask(random), -i);
        }
        assertThat(cma.generation()).isEqualTo(1);
        assertThat(cma.tell(late, 100)).isFalse();
    }
}
