package dev.kaizen.llm.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kaizen.llm.Usage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ModelBanditTest {

    private static final String CHEAP = "openai:gpt-5-mini";
    private static final String DEAR = "anthropic:claude-opus-4-1";
    private static final String LOCAL = "ollama:qwen2.5-coder:7b";

    private static Map<String, Double> weights(Object... pairs) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], ((Number) pairs[i + 1]).doubleValue());
        }
        return m;
    }

    /** A synthetic search: each model improves its child with some probability, by a fixed gain, at a fixed cost. */
    private record Model(double pImprove, double gain, double cost) {
    }

    private static Map<String, Integer> run(ModelBandit bandit, Map<String, Model> models, int rounds, int countLast, long seed) {
        SplittableRandom choices = new SplittableRandom(seed);
        SplittableRandom outcomes = new SplittableRandom(seed + 1);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < rounds; i++) {
            String m = bandit.choose(choices);
            Model model = models.get(m);
            double improvement = outcomes.nextDouble() < model.pImprove() ? model.gain() : -outcomes.nextDouble();
            bandit.record(m, improvement, model.cost());
            if (i >= rounds - countLast) {
                counts.merge(m, 1, Integer::sum);
            }
        }
        return counts;
    }

    @Test
    void prefersTheModelThatImprovesMorePerDollar() {
        // equal success rate and gain; the dear model costs 20 times more
        Map<String, Model> models = Map.of(CHEAP, new Model(0.3, 0.01, 0.002), DEAR, new Model(0.3, 0.01, 0.04));
        ModelBandit bandit = ModelBandit.bandit(weights(CHEAP, 1, DEAR, 1));
        Map<String, Integer> last = run(bandit, models, 3000, 1000, 11);
        assertThat(last.getOrDefault(CHEAP, 0)).isGreaterThan(900);
        assertThat(bandit.stats()).extracting(ModelBandit.Arm::model).containsExactly(CHEAP, DEAR);
        assertThat(bandit.stats().get(0).calls() + bandit.stats().get(1).calls()).isEqualTo(3000);
    }

    @Test
    void paysForTheDearModelWhenItIsWorthIt() {
        // the dear model costs 4 times more but improves 8 times as often, with twice the gain
        Map<String, Model> models = Map.of(CHEAP, new Model(0.1, 0.01, 0.01), DEAR, new Model(0.8, 0.02, 0.04));
        ModelBandit bandit = ModelBandit.bandit(weights(CHEAP, 1, DEAR, 1));
        Map<String, Integer> last = run(bandit, models, 3000, 1000, 5);
        assertThat(last.getOrDefault(DEAR, 0)).isGreaterThan(800);
    }

    @Test
    void followsTheSearchWhenTheBestModelChanges() {
        Map<String, Model> early = Map.of(CHEAP, new Model(0.5, 0.1, 0.01), LOCAL, new Model(0.05, 0.1, 0.01));
        Map<String, Model> late = Map.of(CHEAP, new Model(0.02, 0.001, 0.01), LOCAL, new Model(0.5, 0.1, 0.01));
        ModelBandit bandit = ModelBandit.bandit(weights(CHEAP, 1, LOCAL, 1));
        assertThat(run(bandit, early, 1500, 500, 3).getOrDefault(CHEAP, 0)).isGreaterThan(400);
        assertThat(run(bandit, late, 2500, 500, 4).getOrDefault(LOCAL, 0)).isGreaterThan(400);
    }

    @Test
    void triesEveryModelFirstAndNeverAModelOfWeightZero() {
        ModelBandit bandit = ModelBandit.bandit(weights(CHEAP, 1, DEAR, 0, LOCAL, 2));
        SplittableRandom random = new SplittableRandom(1);
        List<String> firstTwo = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            String m = bandit.choose(random);
            firstTwo.add(m);
            bandit.record(m, 0, 0.001);
        }
        assertThat(firstTwo).containsExactlyInAnyOrder(CHEAP, LOCAL);
        for (int i = 0; i < 500; i++) {
            String m = bandit.choose(random);
            assertThat(m).isNotEqualTo(DEAR);
            bandit.record(m, random.nextDouble() < 0.2 ? 1 : 0, 0.001);
        }
    }

    @Test
    void fixedWeightsAreHonouredWhateverTheRewards() {
        ModelBandit fixed = ModelBandit.fixed(weights(CHEAP, 3, DEAR, 1, LOCAL, 0));
        SplittableRandom random = new SplittableRandom(99);
        Map<String, Integer> counts = new HashMap<>();
        int n = 40_000;
        for (int i = 0; i < n; i++) {
            String m = fixed.choose(random);
            counts.merge(m, 1, Integer::sum);
            fixed.record(m, m.equals(DEAR) ? 10 : 0, 0.001);
        }
        assertThat(counts).doesNotContainKey(LOCAL);
        assertThat(counts.get(CHEAP) / (double) n).isCloseTo(0.75, within(0.015));
        assertThat(counts.get(DEAR) / (double) n).isCloseTo(0.25, within(0.015));
        assertThat(fixed.stats().get(1).improved()).isEqualTo((long) counts.get(DEAR));
    }

    @Test
    void aRestoredBanditMakesTheSameChoicesAsTheOriginal() {
        Map<String, Model> models = Map.of(CHEAP, new Model(0.3, 0.02, 0.002), DEAR, new Model(0.6, 0.03, 0.03), LOCAL, new Model(0.08, 0.01, 0.0003));
        Map<String, Double> w = weights(CHEAP, 1, DEAR, 1, LOCAL, 1);
        ModelBandit original = ModelBandit.bandit(w);
        run(original, models, 400, 0, 21);

        String state = original.exportState();
        ModelBandit restored = ModelBandit.bandit(w);
        restored.importState(state);
        assertThat(restored.stats()).isEqualTo(original.stats());
        assertThat(restored.exportState()).isEqualTo(state);

        SplittableRandom r1 = new SplittableRandom(77);
        SplittableRandom r2 = new SplittableRandom(77);
        SplittableRandom outcomes = new SplittableRandom(78);
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String x = original.choose(r1);
            String y = restored.choose(r2);
            a.add(x);
            b.add(y);
            Model model = models.get(x);
            double improvement = outcomes.nextDouble() < model.pImprove() ? model.gain() : 0;
            original.record(x, improvement, model.cost());
            restored.record(y, improvement, models.get(y).cost());
        }
        assertThat(b).isEqualTo(a);
        assertThat(a.stream().distinct().count()).as("the check is only meaningful if choices vary").isGreaterThanOrEqualTo(2);
    }

    @Test
    void stateFromAnotherConfigurationKeepsWhatStillApplies() {
        ModelBandit old = ModelBandit.bandit(weights(CHEAP, 1, DEAR, 1));
        old.record(CHEAP, 0.5, 0.01);
        old.record(DEAR, 0.1, 0.05);
        ModelBandit now = ModelBandit.bandit(weights(CHEAP, 1, LOCAL, 1));
        now.importState(old.exportState());
        assertThat(now.stats()).extracting(ModelBandit.Arm::model).containsExactly(CHEAP, LOCAL);
        assertThat(now.stats().get(0).calls()).isEqualTo(1);
        // pulls and rewards fade together: the mean efficiency is unchanged by discounting
        assertThat(now.stats().get(0).efficiency()).isCloseTo(0.5 / 0.01, within(1e-9));
        assertThat(now.stats().get(0).pulls()).isCloseTo(ModelBandit.DEFAULT_DISCOUNT, within(1e-12));
        assertThat(now.stats().get(1).calls()).isZero();
        // the untried model comes first
        assertThat(now.choose(new SplittableRandom(1))).isEqualTo(LOCAL);
    }

    @Test
    void badStateAndBadRecordsAreRejected() {
        ModelBandit bandit = ModelBandit.bandit(weights(CHEAP, 1));
        bandit.record(CHEAP, 1, 0.01);
        String before = bandit.exportState();
        assertThatThrownBy(() -> bandit.importState("{\"version\":1}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bandit.importState("not json")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> bandit.importState("{\"version\":1,\"models\":[{\"model\":\"x\",\"pulls\":-1}]}")).isInstanceOf(IllegalArgumentException.class);
        assertThat(bandit.exportState()).isEqualTo(before);
        assertThatThrownBy(() -> bandit.record(CHEAP, Double.NaN, 0.01)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> bandit.record(CHEAP, 1, -0.01)).isInstanceOf(IllegalArgumentException.class);
        bandit.record("openai:retired-model", 1, 0.01);
        bandit.record(CHEAP, Double.NEGATIVE_INFINITY, 0.01);
        assertThat(bandit.stats().get(0).calls()).isEqualTo(2);
        assertThat(bandit.stats().get(0).improved()).isEqualTo(1);
        assertThatThrownBy(() -> ModelBandit.bandit(weights(CHEAP, 0))).hasMessageContaining("weight 0");
        assertThatThrownBy(() -> ModelBandit.bandit(Map.of())).hasMessageContaining("at least one model");
        assertThat(ModelBandit.Selection.of(" Fixed ")).isEqualTo(ModelBandit.Selection.FIXED);
        assertThatThrownBy(() -> ModelBandit.Selection.of("greedy")).hasMessageContaining("bandit or fixed");
    }

    @Test
    void effectiveCostUsesDollarsOrTokensAtTheShadowPrice() {
        assertThat(ModelBandit.effectiveCost(0.02, new Usage(1000, 1000), 0.1)).isEqualTo(0.02);
        assertThat(ModelBandit.effectiveCost(0, new Usage(6000, 4000), 0.1)).isCloseTo(0.001, within(1e-15));
        assertThat(ModelBandit.effectiveCost(0, new Usage(0, 0), 0.1)).isZero();
    }
}
