package dev.kaizen.core.archive;

import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/** The parent selectors Kaizen ships. */
public final class Selectors {

    /** The names accepted by {@link #byName}. */
    public static final List<String> NAMES = List.of("power-law", "fitness-proportional", "tournament", "hill-climbing", "uniform");

    private Selectors() {}

    /**
     * Rank-based: the elite of rank r (1 = fittest) is chosen with probability proportional to
     * r^-alpha. alpha = 0 is uniform; large alpha approaches hill climbing.
     */
    public static ParentSelector powerLaw(double alpha) {
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("power-law alpha must be a finite number >= 0, got " + alpha);
        }
        return (elites, random) -> {
            double[] weights = new double[elites.size()];
            for (int r = 0; r < weights.length; r++) {
                weights[r] = Math.pow(r + 1, -alpha);
            }
            return elites.get(roulette(weights, random));
        };
    }

    /** Probability proportional to fitness shifted so that the least fit elite still has a small chance. */
    public static ParentSelector fitnessProportional() {
        return (elites, random) -> {
            double min = elites.stream().mapToDouble(Candidate::fitness).min().orElse(0);
            double max = elites.stream().mapToDouble(Candidate::fitness).max().orElse(0);
            double floor = (max - min) * 0.01 + 1e-12;
            double[] weights = new double[elites.size()];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = elites.get(i).fitness() - min + floor;
            }
            return elites.get(roulette(weights, random));
        };
    }

    /** The fittest of {@code size} elites drawn uniformly with replacement. */
    public static ParentSelector tournament(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("tournament size must be >= 1, got " + size);
        }
        return (elites, random) -> {
            Candidate winner = null;
            for (int i = 0; i < size; i++) {
                Candidate c = elites.get(random.nextInt(elites.size()));
                if (winner == null || EliteGrid.FITTEST_FIRST.compare(c, winner) < 0) {
                    winner = c;
                }
            }
            return winner;
        };
    }

    /** Always the fittest elite. */
    public static ParentSelector hillClimbing() {
        return (elites, random) -> elites.get(0);
    }

    /** Any elite with equal probability. */
    public static ParentSelector uniform() {
        return (elites, random) -> elites.get(random.nextInt(elites.size()));
    }

    /** A selector by its configuration name, with default parameters. */
    public static ParentSelector byName(String name, double powerLawAlpha, int tournamentSize) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "power-law" -> powerLaw(powerLawAlpha);
            case "fitness-proportional" -> fitnessProportional();
            case "tournament" -> tournament(tournamentSize);
            case "hill-climbing" -> hillClimbing();
            case "uniform" -> uniform();
            default -> throw new IllegalArgumentException("unknown selection '" + name + "'; expected one of " + NAMES);
        };
    }

    static int roulette(double[] weights, RandomGenerator random) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
