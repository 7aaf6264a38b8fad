package dev.kaizen.core.engine;

import dev.kaizen.core.eval.Evaluation;
import dev.kaizen.core.program.Code;
import dev.kaizen.core.target.Feature;
import java.util.List;

/** Maps a candidate to its MAP-Elites cell, written as its bins joined by commas ("3,7"). */
final class Features {

    private Features() {}

    static String cell(List<Feature> features, Code code, Evaluation evaluation) {
        if (features.isEmpty()) {
            return "0";
        }
        int length = code.length();
        int lines = 0;
        for (String text : code.regions().values()) {
            for (String l : dev.kaizen.core.program.Lines.split(text)) {
                if (!l.isBlank()) {
                    lines++;
                }
            }
        }
        StringBuilder cell = new StringBuilder();
        for (Feature f : features) {
            if (!cell.isEmpty()) {
                cell.append(',');
            }
            cell.append(f.bin(f.valueOf(length, lines, evaluation.metrics())));
        }
        return cell.toString();
    }
}
