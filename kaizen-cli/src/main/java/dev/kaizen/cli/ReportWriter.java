package dev.kaizen.cli;

import dev.kaizen.core.archive.Candidate;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.program.Patch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A self-contained HTML report of a run: summary, score over evaluations, the ancestry of the
 * current elites, the best candidate's lineage and diff, outcomes and operator statistics. Plots are
 * inline SVG: the file opens anywhere, offline, with no script.
 */
final class ReportWriter {

    private static final int W = 860;
    private static final int H = 320;
    private static final int PAD = 48;
    private static final int MAX_POINTS = 6_000;

    private ReportWriter() {}

    /** A point of the score plot: sequence number and score. */
    private record Point(long seq, double score) {}

    static String html(Inspect.Opened o) {
        Tally tally = Tally.of(o);
        List<Point> points = new ArrayList<>();
        o.forEach(c -> {
            if (c.feasible()) {
                points.add(new Point(c.seq(), o.score(c)));
            }
        });
        Optional<Candidate> best = o.archive().best();
        Optional<Candidate> seed = o.archive().history(0, 1).stream().findFirst();
        String name = o.archive().meta("target_name").orElse("target");
        String metric = o.objective().primary();

        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Kaizen report: ").append(esc(name)).append("</title>")
                .append("<style>body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:920px;color:#222}")
                .append("h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ddd}")
                .append("table{border-collapse:collapse}td,th{padding:2px 10px;text-align:left;border-bottom:1px solid #eee}")
                .append("td.n{text-align:right;font-variant-numeric:tabular-nums}pre{background:#f6f8fa;padding:10px;overflow:auto;font-size:12px}")
                .append(".add{color:#116329}.del{color:#a40e26}.k{color:#666}svg{background:#fff;border:1px solid #ddd}</style></head><body>");
        h.append("<h1>Kaizen report: ").append(esc(name)).append("</h1>");
        h.append("<table>");
        row(h, "run", o.run().id());
        row(h, "evaluations", Long.toString(tally.candidates));
        row(h, "elapsed", Progress.human(java.time.Duration.ofMillis(o.archive().meta("elapsed_ms").map(Long::parseLong).orElse(0L))));
        seed.filter(Candidate::feasible).ifPresent(s -> row(h, "seed " + metric, Progress.fmt(o.score(s))));
        best.ifPresent(b -> row(h, "best " + metric, Progress.fmt(o.score(b)) + " (candidate #" + b.seq() + ", " + b.id().shortHex() + ", by " + b.operator() + ")"));
        if (best.isPresent() && seed.filter(Candidate::feasible).isPresent()) {
            row(h, "improvement", String.format(Locale.ROOT, "%+.6g", o.score(best.get()) - o.score(seed.get())));
        }
        row(h, "objective", o.objective().describe());
        h.append("</table>");

        h.append("<h2>Score over evaluations</h2>");
        h.append(scorePlot(points, metric, o.objective().direction() == dev.kaizen.core.target.Direction.MAXIMIZE));
        h.append("<p class=\"k\">Grey dots: every passing candidate (at most ").append(MAX_POINTS)
                .append(" shown). Blue line: the best so far.</p>");

        h.append("<h2>Lineage</h2>");
        h.append(lineagePlot(o, points));
        h.append("<p class=\"k\">Ancestry of the current elites of every island; the red path leads to the best candidate.</p>");
        best.ifPresent(b -> {
            List<Candidate> chain = Inspect.chain(o, b);
            h.append("<table><tr><th>#</th><th>").append(esc(metric)).append("</th><th>operator</th><th>edit</th></tr>");
            for (Candidate c : chain) {
                h.append("<tr><td class=\"n\">").append(c.seq()).append("</td><td class=\"n\">")
                        .append(c.feasible() ? Progress.fmt(o.score(c)) : esc(c.evaluation().outcome().kind()))
                        .append("</td><td>").append(esc(c.operator())).append("</td><td>").append(esc(Progress.abbreviate(c.description(), 110))).append("</td></tr>");
            }
            h.append("</table>");
        });

        h.append("<h2>Outcomes</h2><table>");
        tally.outcomes.forEach((k, v) -> h.append("<tr><td>").append(esc(k)).append("</td><td class=\"n\">").append(v).append("</td></tr>"));
        h.append("</table>");

        h.append("<h2>Operators</h2><table><tr><th>operator</th><th>proposed</th><th>passed</th><th>improved on parent</th><th>rate</th></tr>");
        tally.operators.forEach((k, n) -> h.append("<tr><td>").append(esc(k)).append("</td><td class=\"n\">").append(n.proposed).append("</td><td class=\"n\">").append(n.passed)
                .append("</td><td class=\"n\">").append(n.improved).append("</td><td class=\"n\">")
                .append(String.format(Locale.ROOT, "%.1f%%", 100.0 * n.improved / Math.max(1, n.proposed))).append("</td></tr>"));
        h.append("</table>");

        Llms.spending(o.archive()).ifPresent(s -> {
            h.append("<h2>Models</h2><table><tr><th>model</th><th>calls</th><th>failed</th><th>tokens in</th><th>tokens out</th><th>dollars</th></tr>");
            s.models().values().forEach(m -> h.append("<tr><td>").append(esc(m.model())).append("</td><td class=\"n\">").append(m.calls())
                    .append("</td><td class=\"n\">").append(m.failed()).append("</td><td class=\"n\">").append(m.inputTokens())
                    .append("</td><td class=\"n\">").append(m.outputTokens()).append("</td><td class=\"n\">")
                    .append(m.priced() ? String.format(Locale.ROOT, "%.4f", m.usd()) : "no price known").append("</td></tr>"));
            h.append("</table>");
        });

        if (best.isPresent() && seed.isPresent()) {
            Patch diff = Patch.between(Code.of(o.files(seed.get().code())), Code.of(o.files(best.get().code())));
            h.append("<h2>Seed → best</h2><pre>");
            for (String line : diff.text().split("\n", -1)) {
                String cls = line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : line.startsWith("@@") ? "k" : "";
                h.append(cls.isEmpty() ? "" : "<span class=\"" + cls + "\">").append(esc(line)).append(cls.isEmpty() ? "" : "</span>").append('\n');
            }
            h.append("</pre>");
        }
        h.append("<p class=\"k\">Every number above is computed from the run's archive; the ledger (ledger.jsonl) records each step and is checked by <code>kaizen audit verify</code>.</p>");
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void row(StringBuilder h, String k, String v) {
        h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>");
    }

    /** Axis ranges: x over sequence numbers, y over scores with outliers below the 2nd percentile clipped. */
    private record Frame(double x0, double x1, double y0, double y1) {
        double x(double seq) {
            return PAD + (W - 2 * PAD) * (seq - x0) / Math.max(1e-12, x1 - x0);
        }

        double y(double score) {
            double clamped = Math.max(y0, Math.min(y1, score));
            return H - PAD + -(H - 2 * PAD) * (clamped - y0) / Math.max(1e-12, y1 - y0);
        }
    }

    private static Frame frame(List<Point> points) {
        if (points.isEmpty()) {
            return new Frame(0, 1, 0, 1);
        }
        double[] scores = points.stream().mapToDouble(Point::score).sorted().toArray();
        double lo = scores[(int) Math.floor(0.02 * (scores.length - 1))];
        double hi = scores[scores.length - 1];
        if (hi - lo < 1e-12) {
            lo -= 0.5;
            hi += 0.5;
        }
        double margin = (hi - lo) * 0.05;
        return new Frame(0, Math.max(1, points.get(points.size() - 1).seq()), lo - margin, hi + margin);
    }

    private static String axes(Frame f, String metric) {
        StringBuilder s = new StringBuilder();
        s.append("<line x1=\"").append(PAD).append("\" y1=\"").append(H - PAD).append("\" x2=\"").append(W - PAD).append("\" y2=\"").append(H - PAD).append("\" stroke=\"#999\"/>");
        s.append("<line x1=\"").append(PAD).append("\" y1=\"").append(PAD).append("\" x2=\"").append(PAD).append("\" y2=\"").append(H - PAD).append("\" stroke=\"#999\"/>");
        for (int i = 0; i <= 4; i++) {
            double v = f.y0() + (f.y1() - f.y0()) * i / 4;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\" fill=\"#555\">%s</text>", PAD - 4, f.y(v) + 3, esc(Progress.fmt(v))));
            double x = f.x0() + (f.x1() - f.x0()) * i / 4;
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\" fill=\"#555\">%d</text>", f.x(x), H - PAD + 14, Math.round(x)));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" fill=\"#333\">evaluation</text>", W / 2, H - 10));
        s.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" font-size=\"11\" fill=\"#333\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">%s</text>", H / 2, H / 2, esc(metric)));
        return s.toString();
    }

    private static String scorePlot(List<Point> points, String metric, boolean maximize) {
        Frame f = frame(points);
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H).append("\" role=\"img\" aria-label=\"score over evaluations\">");
        s.append(axes(f, metric));
        int step = Math.max(1, points.size() / MAX_POINTS);
        for (int i = 0; i < points.size(); i += step) {
            Point p = points.get(i);
            s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.6\" fill=\"#bbb\"/>", f.x(p.seq()), f.y(p.score())));
        }
        StringBuilder path = new StringBuilder();
        double bestSoFar = Double.NaN;
        for (Point p : points) {
            if (Double.isNaN(bestSoFar) || (maximize ? p.score() > bestSoFar : p.score() < bestSoFar)) {
                if (!Double.isNaN(bestSoFar)) {
                    path.append(String.format(Locale.ROOT, " L%.1f,%.1f", f.x(p.seq()), f.y(bestSoFar)));
                }
                bestSoFar = p.score();
                path.append(String.format(Locale.ROOT, path.isEmpty() ? "M%.1f,%.1f" : " L%.1f,%.1f", f.x(p.seq()), f.y(bestSoFar)));
            }
        }
        if (!points.isEmpty()) {
            path.append(String.format(Locale.ROOT, " L%.1f,%.1f", f.x(f.x1()), f.y(bestSoFar)));
            s.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"2\"/>");
        }
        s.append("</svg>");
        return s.toString();
    }

    private static String lineagePlot(Inspect.Opened o, List<Point> points) {
        Frame f = frame(points);
        Map<String, Candidate> nodes = new LinkedHashMap<>();
        for (int i = 0; i < o.archive().islands(); i++) {
            for (Candidate elite : o.archive().elites(i)) {
                for (Candidate c : Inspect.chain(o, elite)) {
                    nodes.putIfAbsent(c.id().hex(), c);
                }
            }
        }
        Set<String> bestPath = new HashSet<>();
        o.archive().best().ifPresent(b -> Inspect.chain(o, b).forEach(c -> bestPath.add(c.id().hex())));
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H).append("\" role=\"img\" aria-label=\"lineage\">");
        s.append(axes(f, o.objective().primary()));
        StringBuilder red = new StringBuilder();
        for (Candidate c : nodes.values()) {
            if (c.parents().isEmpty() || !c.feasible()) {
                continue;
            }
            Candidate p = nodes.get(c.parents().get(0).hex());
            if (p == null || !p.feasible()) {
                continue;
            }
            boolean onBest = bestPath.contains(c.id().hex()) && bestPath.contains(p.id().hex());
            String line = String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%s\"/>",
                    f.x(p.seq()), f.y(o.score(p)), f.x(c.seq()), f.y(o.score(c)), onBest ? "#d1242f" : "#8c959f", onBest ? "2" : "0.8");
            (onBest ? red : s).append(line);
        }
        s.append(red);
        for (Candidate c : nodes.values()) {
            if (c.feasible()) {
                s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.2\" fill=\"%s\"><title>#%d %s %s</title></circle>",
                        f.x(c.seq()), f.y(o.score(c)), bestPath.contains(c.id().hex()) ? "#d1242f" : "#57606a", c.seq(), esc(c.operator()), esc(Progress.fmt(o.score(c)))));
            }
        }
        s.append("</svg>");
        return s.toString();
    }

    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
