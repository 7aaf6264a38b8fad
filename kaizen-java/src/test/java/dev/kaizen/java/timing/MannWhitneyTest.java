package dev.kaizen.java.timing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Known values: hand-counted exact tails, and {@code scipy.stats.mannwhitneyu(x, y,
 * alternative="less", method=...)} (scipy 1.17) for the others.
 */
class MannWhitneyTest {

    @Test
    void three_smaller_than_three_has_the_exact_tail_one_in_twenty() {
        // Of the C(6,3) = 20 equally likely orders, only x x x y y y gives U = 9.
        MannWhitney.Result r = MannWhitney.less(new long[] {1, 2, 3}, new long[] {4, 5, 6});

        assertThat(r.u()).isEqualTo(9);
        assertThat(r.exact()).isTrue();
        assertThat(r.p()).isCloseTo(0.05, within(1e-12));
    }

    @Test
    void five_smaller_than_five_has_the_exact_tail_one_in_252() {
        MannWhitney.Result r = MannWhitney.less(new long[] {1, 2, 3, 4, 5}, new long[] {6, 7, 8, 9, 10});

        assertThat(r.p()).isCloseTo(1.0 / 252, within(1e-12));
    }

    @Test
    void exact_tail_of_interleaved_samples_matches_scipy() {
        MannWhitney.Result r = MannWhitney.less(new long[] {12, 15, 11, 17, 13}, new long[] {18, 16, 20, 19, 14});

        assertThat(r.u()).isEqualTo(22);
        assertThat(r.p()).isCloseTo(0.027777777777777776, within(1e-12));
    }

    @Test
    void the_reverse_direction_is_not_significant() {
        MannWhitney.Result r = MannWhitney.less(new long[] {6, 7, 8, 9, 10}, new long[] {1, 2, 3, 4, 5});

        assertThat(r.u()).isZero();
        assertThat(r.p()).isEqualTo(1.0);
    }

    @Test
    void ties_use_the_normal_approximation_with_tie_and_continuity_correction_as_scipy() {
        MannWhitney.Result r = MannWhitney.less(new long[] {3, 4, 4, 5, 6, 6, 7}, new long[] {5, 6, 7, 7, 8, 9, 9});

        assertThat(r.exact()).isFalse();
        assertThat(r.u()).isEqualTo(42.5);
        assertThat(r.p()).isCloseTo(0.011799439303317122, within(1e-6));

        MannWhitney.Result r2 = MannWhitney.less(new long[] {1, 1, 2, 2, 3}, new long[] {2, 3, 3, 4, 4});
        assertThat(r2.u()).isEqualTo(22);
        assertThat(r2.p()).isCloseTo(0.02620581433551434, within(1e-6));
    }

    @Test
    void large_samples_use_the_normal_approximation_as_scipy() {
        long[] x = {994, 1002, 1051, 1090, 906, 928, 1064, 1089, 949, 962, 1073, 984, 954, 1065, 951, 981, 1028, 1009, 917, 905,
            1073, 1050, 1067, 1007, 1063, 965, 990, 1057, 924, 960, 924, 990, 1095, 926, 976, 980, 1080, 940, 1000, 952,
            903, 1050, 912, 956, 999, 997, 923, 1096, 1049, 1092, 918, 1044, 958, 1008, 1084, 955, 1045, 932, 964, 1093};
        long[] y = {1034, 1053, 1008, 973, 1034, 1074, 1041, 1105, 1022, 1072, 1104, 1133, 1035, 957, 1093, 1055, 1124, 1041,
            1023, 962, 1041, 1078, 1104, 1120, 992, 1068, 1110, 1002, 1018, 1117, 1066, 1051, 1084, 1052, 1146, 1100, 960,
            979, 1059, 1113, 963, 1086, 1101, 1107, 1124, 988, 1061, 1110, 1021, 988, 1045, 966, 993, 1121, 1083, 1122, 1118,
            1125, 1012, 1044};

        MannWhitney.Result r = MannWhitney.less(x, y);

        assertThat(r.exact()).isFalse();
        assertThat(r.u()).isEqualTo(2729.5);
        assertThat(r.p()).isCloseTo(5.408223038305518e-07, within(5e-9));
    }

    @Test
    void exact_and_normal_tails_agree_roughly_for_moderate_samples() {
        // The exact tail and the continuity-corrected normal tail for the same U at m = n = 15.
        double exact = MannWhitney.exactUpperTail(150, 15, 15);
        double mean = 112.5;
        double sd = Math.sqrt(15 * 15 * 31 / 12.0);
        double normal = MannWhitney.upperNormalTail((150 - mean - 0.5) / sd);

        assertThat(exact).isCloseTo(normal, within(0.003));
        assertThat(MannWhitney.exactUpperTail(0, 15, 15)).isEqualTo(1.0);
        assertThat(MannWhitney.exactUpperTail(226, 15, 15)).isZero();
    }

    @Test
    void all_equal_values_give_no_evidence() {
        assertThat(MannWhitney.less(new long[] {5, 5, 5}, new long[] {5, 5, 5}).p()).isEqualTo(1.0);
    }

    @Test
    void the_normal_tail_matches_known_quantiles() {
        assertThat(MannWhitney.upperNormalTail(0)).isCloseTo(0.5, within(1e-7));
        assertThat(MannWhitney.upperNormalTail(1.959963985)).isCloseTo(0.025, within(1e-7));
        assertThat(MannWhitney.upperNormalTail(2.326347874)).isCloseTo(0.01, within(1e-8));
        assertThat(MannWhitney.upperNormalTail(-1.644853627)).isCloseTo(0.95, within(1e-7));
    }

    @Test
    void rejects_empty_samples() {
        assertThatThrownBy(() -> MannWhitney.less(new long[0], new long[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one value");
    }
}
