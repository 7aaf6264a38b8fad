package dev.kaizen.java.gi;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.AnnotationExpr;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.stmt.Statement;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.NullLiteralExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.expr.LiteralExpr;
import dev.kaizen.java.gi.Ingredients.ExpressionIngredient;
import dev.kaizen.java.gi.ParsedProgram.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * {@code java.expr.replace}: replaces an expression whose type {@link LocalTypes} can tell by a
 * different one of the same type: a variable in scope there (local, parameter or field), or a
 * literal or side-effect-free expression from anywhere in the target whose variables are in scope
 * at the site with the same types. "Same type" is equality of normalized type text, so {@code int}
 * replaces {@code int} and {@code String} replaces {@code String}, but {@code Integer} does not
 * replace {@code int}, and an expression of unknown type is neither replaced nor used. Written
 * places (assignment targets, {@code ++} operands) and {@code case} labels are left alone.
 */
final class ExpressionReplace implements Mutation {

    static final int DRAWS = 12;

    @Override
    public List<Expression> sites(ParsedProgram program) {
        List<Expression> out = new ArrayList<>();
        for (Expression e : program.editable(Expression.class)) {
            if (replaceable(program, e)) {
                out.add(e);
            }
        }
        return out;
    }

    private static boolean replaceable(ParsedProgram program, Expression e) {
        if (!Ingredients.pure(e) || e instanceof NullLiteralExpr || Statements.isWritten(e) || Statements.inCaseLabel(e)
                || Statements.hasAncestor(e, AnnotationExpr.class, null)) {
            return false;
        }
        if (e instanceof LiteralExpr && e.getParentNode().orElse(null) instanceof UnaryExpr) {
            return false;
        }
        String type = program.types().of(e);
        return !type.equals(LocalTypes.UNKNOWN) && !type.equals("void");
    }

    @Override
    public Optional<Splice> mutate(ParsedProgram program, Node site, RandomGenerator random) {
        Expression e = (Expression) site;
        Span span = program.spanOf(e);
        String own = span.text().strip();
        String type = program.types().of(e);
        List<String> vars = new ArrayList<>();
        String declaring = declaredAround(e);
        for (LocalTypes.Var v : program.types().visible(e).values()) {
            if (v.type().equals(type) && !v.name().equals(own) && !v.name().equals(declaring)) {
                vars.add(v.name());
            }
        }
        List<ExpressionIngredient> pool = byType(program).getOrDefault(type, List.of());
        int total = vars.size() + pool.size();
        if (total == 0) {
            return Optional.empty();
        }
        for (int draw = 0; draw < DRAWS; draw++) {
            int i = random.nextInt(total);
            String text;
            int prec;
            String from = "";
            if (i < vars.size()) {
                text = vars.get(i);
                prec = Precedence.PRIMARY;
            } else {
                ExpressionIngredient in = pool.get(i - vars.size());
                if (in.text().strip().equals(own) || in.node() == e || !Ingredients.fits(program, in.needs(), e)) {
                    continue;
                }
                text = in.text();
                prec = Precedence.of(in.node());
                from = " (from " + in.origin() + ")";
            }
            text = Precedence.fit(e, text, prec);
            int before = span.start() - 1;
            if (text.startsWith("-") && before >= 0 && "+-".indexOf(span.file().text().charAt(before)) >= 0) {
                text = "(" + text + ")";
            }
            return Optional.of(Splice.replace(span, text,
                    SourceText.quote(span.text()) + " -> " + SourceText.quote(text) + " in " + span.where() + from));
        }
        return Optional.empty();
    }

    /** The variable whose initializer holds {@code e}, which may not be read there. */
    private static String declaredAround(Expression e) {
        for (Node p = e.getParentNode().orElse(null); p != null; p = p.getParentNode().orElse(null)) {
            if (p instanceof VariableDeclarator d) {
                return d.getNameAsString();
            }
            if (p instanceof Statement || p instanceof LambdaExpr) {
                return "";
            }
        }
        return "";
    }

    private static Map<String, List<ExpressionIngredient>> byType(ParsedProgram program) {
        return program.memo("ingredients.expressions.byType", () -> {
            Map<String, List<ExpressionIngredient>> out = new LinkedHashMap<>();
            for (ExpressionIngredient in : Ingredients.expressions(program)) {
                out.computeIfAbsent(in.type(), k -> new ArrayList<>()).add(in);
            }
            return out;
        });
    }
}
