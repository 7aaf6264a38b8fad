package dev.kaizen.core.operator;

import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.program.ProgramId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * Numeric tuning of the literals inside the evolve regions, in three flavours:
 * {@code tune.cmaes} runs separable CMA-ES over all floating-point literals of a program's
 * structure (the code with its float values blanked out), {@code tune.perturb} nudges one to three
 * floats by a Gaussian step, and {@code tune.int} moves one integer literal by one.
 */
public final class LiteralTuning implements Operator {

    /** The flavours of tuning. */
    public enum Mode {
        CMAES("tune.cmaes"),
        PERTURB("tune.perturb"),
        INT("tune.int");

        private final String operatorName;

        Mode(String operatorName) {
            this.operatorName = operatorName;
        }

        public String operatorName() {
            return operatorName;
        }
    }

    private static final int MAX_STRUCTURES = 32;
    private static final double INITIAL_SIGMA = 0.15;

    private final Mode mode;
    /** CMA-ES state per structure, least recently used first. */
    private final LinkedHashMap<String, Tuner> tuners = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<ProgramId, Pending> pending = new HashMap<>();

    private LiteralTuning(Mode mode) {
        this.mode = mode;
    }

    public static LiteralTuning of(Mode mode) {
        return new LiteralTuning(mode);
    }

    /** One operator per mode. */
    public static List<Operator> all() {
        List<Operator> ops = new ArrayList<>();
        for (Mode m : Mode.values()) {
            ops.add(of(m));
        }
        return ops;
    }

    @Override
    public String name() {
        return mode.operatorName();
    }

    private record Slot(String region, Literals.Literal literal) {}

    private record Tuner(SepCmaEs cma, double[] base, double[] scale) {}

    private record Pending(Tuner tuner, SepCmaEs.Sample sample) {}

    @Override
    public Optional<Proposal> propose(ProposalContext context) {
        Code code = context.parent().code();
        List<Slot> slots = slots(code, mode != Mode.INT);
        if (slots.isEmpty()) {
            return Optional.empty();
        }
        RandomGenerator random = context.random();
        double[] values = new double[slots.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = slots.get(i).literal().value();
        }
        String desc;
        switch (mode) {
            case CMAES -> {
                String key = structureKey(code, slots);
                Tuner tuner = tuners.get(key);
                if (tuner == null) {
                    double[] scale = scales(values);
                    tuner = new Tuner(new SepCmaEs(new double[values.length], INITIAL_SIGMA), values.clone(), scale);
                    tuners.put(key, tuner);
                    if (tuners.size() > MAX_STRUCTURES) {
                        tuners.remove(tuners.keySet().iterator().next());
                    }
                }
                SepCmaEs.Sample sample = tuner.cma().ask(random);
                for (int i = 0; i < values.length; i++) {
                    values[i] = tuner.base()[i] + tuner.scale()[i] * sample.x()[i];
                }
                Code child = rewrite(code, slots, values);
                pending.put(child.id(), new Pending(tuner, sample));
                if (pending.size() > 10_000) {
                    pending.clear();
                }
                desc = "CMA-ES sample (generation " + sample.generation() + ", sigma "
                        + String.format(java.util.Locale.ROOT, "%.3g", tuner.cma().sigma()) + ") over " + values.length + " literals";
                return Optional.of(new Proposal(child, desc));
            }
            case PERTURB -> {
                int count = 1 + random.nextInt(Math.min(3, values.length));
                double[] scale = scales(values);
                StringBuilder changes = new StringBuilder();
                for (int k = 0; k < count; k++) {
                    int i = random.nextInt(values.length);
                    double old = values[i];
                    double step = scale[i] * 0.1 * random.nextGaussian() * Math.exp(random.nextGaussian());
                    values[i] = old + step;
                    changes.append(k == 0 ? "" : ", ").append(slots.get(i).literal().text()).append(" -> ")
                            .append(Literals.render(values[i], slots.get(i).literal()));
                }
                desc = "perturb " + changes;
            }
            case INT -> {
                int i = random.nextInt(values.length);
                double old = values[i];
                values[i] = old + (random.nextBoolean() ? 1 : -1);
                if (values[i] < 0) {
                    values[i] = old + 1;
                }
                desc = "integer " + slots.get(i).literal().text() + " -> " + (long) values[i] + " in " + slots.get(i).region();
            }
            default -> throw new IllegalStateException("unknown mode " + mode);
        }
        Code child = rewrite(code, slots, values);
        return child.equals(code) ? Optional.empty() : Optional.of(new Proposal(child, desc));
    }

    @Override
    public void observe(Candidate child, Candidate parent) {
        Pending p = pending.remove(child.id());
        if (p != null) {
            p.tuner().cma().tell(p.sample(), child.fitness());
        }
    }

    /** Per-literal step scale: its magnitude, but never tiny compared with its neighbours. */
    private static double[] scales(double[] values) {
        double meanAbs = 0;
        for (double v : values) {
            meanAbs += Math.abs(v);
        }
        meanAbs /= values.length;
        double floor = Math.max(meanAbs * 0.25, 1e-3);
        double[] scale = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            scale[i] = Math.max(Math.abs(values[i]), floor);
        }
        return scale;
    }

    private static List<Slot> slots(Code code, boolean floating) {
        List<Slot> slots = new ArrayList<>();
        for (Map.Entry<String, String> e : code.regions().entrySet()) {
            for (Literals.Literal l : Literals.find(e.getValue())) {
                if (l.floating() == floating) {
                    slots.add(new Slot(e.getKey(), l));
                }
            }
        }
        return slots;
    }

    private static String structureKey(Code code, List<Slot> slots) {
        StringBuilder key = new StringBuilder();
        for (Map.Entry<String, String> e : code.regions().entrySet()) {
            String text = e.getValue();
            int pos = 0;
            key.append("\u0000").append(e.getKey()).append("\u0000");
            for (Slot s : slots) {
                if (s.region().equals(e.getKey())) {
                    key.append(text, pos, s.literal().start()).append('\u0001');
                    pos = s.literal().end();
                }
            }
            key.append(text.substring(pos));
        }
        return Code.single("key", key.toString()).id().hex();
    }

    private static Code rewrite(Code code, List<Slot> slots, double[] values) {
        Map<String, String> regions = new TreeMap<>(code.regions());
        for (String region : code.regions().keySet()) {
            List<Literals.Literal> ls = new ArrayList<>();
            List<Double> vs = new ArrayList<>();
            for (int i = 0; i < slots.size(); i++) {
                if (slots.get(i).region().equals(region)) {
                    ls.add(slots.get(i).literal());
                    vs.add(values[i]);
                }
            }
            if (!ls.isEmpty()) {
                regions.put(region, Literals.replace(code.region(region), ls, vs.stream().mapToDouble(Double::doubleValue).toArray()));
            }
        }
        return Code.of(regions);
    }
}
