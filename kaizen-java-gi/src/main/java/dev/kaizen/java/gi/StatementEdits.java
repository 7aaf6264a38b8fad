package dev.kaizen.java.gi;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.NodeList;
import com.github.javaparser.ast.stmt.BreakStmt;
import com.github.javaparser.ast.stmt.ContinueStmt;
import com.github.javaparser.ast.stmt.DoStmt;
import com.github.javaparser.ast.stmt.ForEachStmt;
import com.github.javaparser.ast.stmt.ForStmt;
import com.github.javaparser.ast.stmt.SwitchStmt;
import com.github.javaparser.ast.stmt.WhileStmt;
import com.github.javaparser.ast.stmt.EmptyStmt;
import com.github.javaparser.ast.stmt.ExplicitConstructorInvocationStmt;
import com.github.javaparser.ast.stmt.LocalClassDeclarationStmt;
import com.github.javaparser.ast.stmt.LocalRecordDeclarationStmt;
import com.github.javaparser.ast.stmt.Statement;
import com.github.javaparser.ast.stmt.UnparsableStmt;
import dev.kaizen.java.gi.Ingredients.Jump;
import dev.kaizen.java.gi.Ingredients.StatementIngredient;
import dev.kaizen.java.gi.ParsedProgram.Span;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The statement edits of GenProg: delete, copy (insert an ingredient before or after a statement),
 * replace (by an ingredient) and swap. Only statements held directly by a block or a
 * {@code case ...:} group are edited, so removing or adding one keeps the syntax whole. Ingredients
 * are checked against the destination: the variables they read must be in scope there with the
 * same types, the methods they call must be declared around it, the locals they declare must not
 * clash, and jumps ({@code return}, {@code break}, {@code continue}, {@code throw}) only go last
 * in a list, where they make nothing unreachable, and only where they are legal.
 */
final class StatementEdits {

    /** How many ingredients one edit draws before giving up on its site. */
    static final int DRAWS = 12;

    private StatementEdits() {}

    /** Editable statements held directly by a statement list, except class declarations and constructor calls. */
    static List<Statement> listed(ParsedProgram program) {
        return program.memo("statements.listed", () -> {
            List<Statement> out = new ArrayList<>();
            for (Statement s : program.editable(Statement.class)) {
                if (Statements.list(s).isPresent() && !(s instanceof LocalClassDeclarationStmt || s instanceof LocalRecordDeclarationStmt
                        || s instanceof ExplicitConstructorInvocationStmt || s instanceof UnparsableStmt)) {
                    out.add(s);
                }
            }
            return List.copyOf(out);
        });
    }

    /** Deletes a statement, with its line when it stands alone on it. */
    static final class Delete implements Mutation {
        @Override
        public List<Statement> sites(ParsedProgram program) {
            List<Statement> out = new ArrayList<>();
            for (Statement s : listed(program)) {
                if (!(s instanceof EmptyStmt) && !Statements.endsValueBody(s) && !Statements.declarationUsedLater(s)) {
                    out.add(s);
                }
            }
            return out;
        }

        @Override
        public Optional<Splice> mutate(ParsedProgram program, Node site, RandomGenerator random) {
            Span span = program.spanOf(site);
            LineMap lines = span.file().lines();
            String text = span.file().text();
            int start = span.start();
            int end = span.end();
            if (lines.blankBefore(start) && lines.blankAfter(end)) {
                int from = lines.lineStart(start);
                int to = lines.nextLineStart(end);
                if (span.hole().contains(from, to)) {
                    start = from;
                    end = to;
                }
            }
            if (end == span.end()) {
                while (end < span.hole().end() && (text.charAt(end) == ' ' || text.charAt(end) == '\t')) {
                    end++;
                }
            }
            return Optional.of(new Splice(span.file(), span.hole(), List.of(new Splice.Edit(start, end, "")),
                    SourceText.quote(span.text()) + " in " + span.where()));
        }
    }

    /** Inserts a copy of an ingredient statement before or after a statement. */
    static final class Copy implements Mutation {
        @Override
        public List<Statement> sites(ParsedProgram program) {
            return listed(program);
        }

        @Override
        public Optional<Splice> mutate(ParsedProgram program, Node site, RandomGenerator random) {
            Statement dest = (Statement) site;
            List<StatementIngredient> pool = Ingredients.statements(program);
            if (pool.isEmpty()) {
                return Optional.empty();
            }
            for (int draw = 0; draw < DRAWS; draw++) {
                StatementIngredient in = pool.get(random.nextInt(pool.size()));
                boolean after = in.jump() != Jump.NONE || random.nextBoolean();
                if (fitsInsert(program, in, dest, after)) {
                    return Optional.of(insert(program, in, dest, after));
                }
            }
            return Optional.empty();
        }

        private static boolean fitsInsert(ParsedProgram program, StatementIngredient in, Statement dest, boolean after) {
            if (in.jump() != Jump.NONE && !(after && Statements.isLast(dest) && jumpAllowed(in, dest))) {
                return false;
            }
            if (after && Ingredients.jump(dest) != Jump.NONE) {
                return false;
            }
            return noClash(program, in, dest, Set.of()) && nestedJumpsFit(in, dest) && Ingredients.fits(program, in.needs(), dest);
        }

        private static Splice insert(ParsedProgram program, StatementIngredient in, Statement dest, boolean after) {
            Span d = program.spanOf(dest);
            LineMap lines = d.file().lines();
            String indent = lines.indentAt(d.start());
            String body = SourceText.reindent(in.text(), in.indent(), indent);
            String nl = lines.newlineAt(d.start());
            Splice.Edit edit;
            if (!after) {
                int ls = lines.lineStart(d.start());
                edit = lines.blankBefore(d.start()) && ls >= d.hole().start()
                        ? new Splice.Edit(ls, ls, indent + body + nl)
                        : new Splice.Edit(d.start(), d.start(), body + " ");
            } else {
                int ns = lines.nextLineStart(d.end());
                edit = lines.blankAfter(d.end()) && ns > lines.lineEnd(d.end()) && ns <= d.hole().end()
                        ? new Splice.Edit(ns, ns, indent + body + nl)
                        : new Splice.Edit(d.end(), d.end(), " " + body);
            }
            String desc = "insert " + SourceText.quote(in.text()) + (after ? " after " : " before ")
                    + SourceText.quote(d.text()) + " at " + d.where() + " (ingredient from " + in.origin() + ")";
            return new Splice(d.file(), d.hole(), List.of(edit), desc);
        }
    }

    /** Replaces a statement by an ingredient statement. */
    static final class Replace implements Mutation {
        @Override
        public List<Statement> sites(ParsedProgram program) {
            List<Statement> out = new ArrayList<>();
            for (Statement s : listed(program)) {
                if (!(s instanceof EmptyStmt)) {
                    out.add(s);
                }
            }
            return out;
        }

        @Override
        public Optional<Splice> mutate(ParsedProgram program, Node site, RandomGenerator random) {
            Statement dest = (Statement) site;
            List<StatementIngredient> pool = Ingredients.statements(program);
            if (pool.isEmpty()) {
                return Optional.empty();
            }
            Span d = program.spanOf(dest);
            for (int draw = 0; draw < DRAWS; draw++) {
                StatementIngredient in = pool.get(random.nextInt(pool.size()));
                if (fitsReplace(program, in, dest, d)) {
                    String indent = d.file().lines().indentAt(d.start());
                    String body = SourceText.reindent(in.text(), in.indent(), indent);
                    String desc = SourceText.quote(d.text()) + " -> " + SourceText.quote(in.text()) + " in " + d.where()
                            + " (ingredient from " + in.origin() + ")";
                    return Optional.of(Splice.replace(d, body, desc));
                }
            }
            return Optional.empty();
        }

        private static boolean fitsReplace(ParsedProgram program, StatementIngredient in, Statement dest, Span d) {
            if (in.text().strip().equals(d.text().strip())) {
                return false;
            }
            if (in.jump() != Jump.NONE && !(Statements.isLast(dest) && jumpAllowed(in, dest))) {
                return false;
            }
            if (Statements.endsValueBody(dest) && in.jump() != Jump.RETURN_VALUE && in.jump() != Jump.THROW) {
                return false;
            }
            Set<String> own = Ingredients.declares(dest);
            if (Statements.declarationUsedLater(dest) && !in.declares().containsAll(own)) {
                return false;
            }
            return noClash(program, in, dest, own) && nestedJumpsFit(in, dest) && Ingredients.fits(program, in.needs(), dest);
        }
    }

    /** Swaps two statements of one block, or (one time in four) two unrelated statements of one region. */
    static final class Swap implements Mutation {
        @Override
        public List<Statement> sites(ParsedProgram program) {
            List<Statement> out = new ArrayList<>();
            for (Statement s : listed(program)) {
                if (swappable(s)) {
                    out.add(s);
                }
            }
            return out;
        }

        private static boolean swappable(Statement s) {
            return !(s instanceof EmptyStmt) && Ingredients.jump(s) == Jump.NONE && !Statements.endsValueBody(s);
        }

        @Override
        public Optional<Splice> mutate(ParsedProgram program, Node site, RandomGenerator random) {
            Statement a = (Statement) site;
            Span sa = program.spanOf(a);
            NodeList<Statement> list = Statements.list(a).orElseThrow();
            List<Statement> siblings = new ArrayList<>();
            for (Statement s : list) {
                if (s != a && swappable(s) && program.isEditable(s) && program.spanOf(s).hole() == sa.hole()
                        && !program.spanOf(s).text().equals(sa.text())) {
                    siblings.add(s);
                }
            }
            if (!siblings.isEmpty() && random.nextInt(4) != 0) {
                Statement b = siblings.get(random.nextInt(siblings.size()));
                return inOrder(list, a, b) ? Optional.of(swap(program, a, b)) : Optional.empty();
            }
            List<Statement> far = new ArrayList<>();
            for (Statement s : program.<List<Statement>>memo("swap.sites", () -> sites(program))) {
                Span ss = program.spanOf(s);
                if (ss.hole() == sa.hole() && (ss.end() <= sa.start() || sa.end() <= ss.start()) && !Statements.contains(list, s)) {
                    far.add(s);
                }
            }
            if (far.isEmpty()) {
                return Optional.empty();
            }
            Statement b = far.get(random.nextInt(far.size()));
            if (!Ingredients.declares(a).isEmpty() || !Ingredients.declares(b).isEmpty()
                    || !Ingredients.fits(program, Ingredients.needs(program, a), b) || !Ingredients.fits(program, Ingredients.needs(program, b), a)
                    || escapes(a) || escapes(b)) {
                return Optional.empty();
            }
            return Optional.of(swap(program, a, b));
        }

        /** Whether a {@code break} or {@code continue} in {@code s} jumps to a loop or switch outside it. */
        private static boolean escapes(Statement s) {
            List<Statement> jumps = new ArrayList<>(s.findAll(BreakStmt.class));
            jumps.addAll(s.findAll(ContinueStmt.class));
            for (Statement j : jumps) {
                boolean inside = false;
                for (Node p = j.getParentNode().orElse(null); p != null && p != s; p = p.getParentNode().orElse(null)) {
                    if (p instanceof ForStmt || p instanceof ForEachStmt || p instanceof WhileStmt || p instanceof DoStmt
                            || (j instanceof BreakStmt && p instanceof SwitchStmt)) {
                        inside = true;
                        break;
                    }
                }
                if (!inside) {
                    return true;
                }
            }
            return false;
        }

        /** Whether swapping siblings moves no declaration after a use, and no use before its declaration. */
        private static boolean inOrder(NodeList<Statement> list, Statement a, Statement b) {
            int i = Statements.indexOf(list, a);
            int j = Statements.indexOf(list, b);
            Statement first = list.get(Math.min(i, j));
            Statement second = list.get(Math.max(i, j));
            Set<String> firstDeclares = Ingredients.declares(first);
            Set<String> between = new HashSet<>();
            for (int k = Math.min(i, j); k < Math.max(i, j); k++) {
                between.addAll(Ingredients.declares(list.get(k)));
                if (k > Math.min(i, j) && Statements.uses(list.get(k), firstDeclares)) {
                    return false;
                }
            }
            return !Statements.uses(second, firstDeclares) && !Statements.uses(second, between);
        }

        private static Splice swap(ParsedProgram program, Statement a, Statement b) {
            Span sa = program.spanOf(a);
            Span sb = program.spanOf(b);
            if (sb.start() < sa.start()) {
                Span t = sa;
                sa = sb;
                sb = t;
            }
            LineMap lines = sa.file().lines();
            String ia = lines.indentAt(sa.start());
            String ib = lines.indentAt(sb.start());
            String desc = SourceText.quote(sa.text()) + " (" + sa.where() + ") <-> " + SourceText.quote(sb.text()) + " (" + sb.where() + ")";
            return new Splice(sa.file(), sa.hole(), List.of(
                    new Splice.Edit(sa.start(), sa.end(), SourceText.reindent(sb.text(), ib, ia)),
                    new Splice.Edit(sb.start(), sb.end(), SourceText.reindent(sa.text(), ia, ib))), desc);
        }
    }

    /**
     * Whether the locals an ingredient declares clash with none at {@code dest}: those at its own
     * level with no local of the callable (a later declaration would clash), those nested in it
     * with no local or parameter visible there (Java forbids shadowing them). {@code replaced} are
     * the names the replaced statement declared, free again.
     */
    static boolean noClash(ParsedProgram program, StatementIngredient in, Statement dest, Set<String> replaced) {
        if (in.declaresInside().isEmpty()) {
            return true;
        }
        Set<String> taken = new HashSet<>(Statements.namesInCallable(dest));
        taken.removeAll(replaced);
        for (String n : in.declares()) {
            if (taken.contains(n)) {
                return false;
            }
        }
        for (LocalTypes.Var v : program.types().visible(dest).values()) {
            if (!v.field() && in.declaresInside().contains(v.name()) && !replaced.contains(v.name())) {
                return false;
            }
        }
        return true;
    }

    /** Whether the returns and escaping {@code break}/{@code continue} nested in an ingredient are legal at {@code dest}. */
    static boolean nestedJumpsFit(StatementIngredient in, Statement dest) {
        if (in.escapingBreak() && !Statements.insideLoop(dest, false) || in.escapingContinue() && !Statements.insideLoop(dest, true)) {
            return false;
        }
        if (in.nestedReturns().isEmpty()) {
            return true;
        }
        String want = Statements.returnType(dest).orElse(null);
        if (want == null) {
            return false;
        }
        for (String r : in.nestedReturns()) {
            boolean ok = want.equals("void") ? r.equals("void")
                    : !r.equals("void") && (r.equals(LocalTypes.UNKNOWN) || want.equals(LocalTypes.UNKNOWN) || r.equals(want));
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Whether a jump ingredient is legal at the end of the list holding {@code dest}. */
    static boolean jumpAllowed(StatementIngredient in, Statement dest) {
        return switch (in.jump()) {
            case NONE, THROW -> true;
            case RETURN_VOID -> Statements.returnType(dest).map("void"::equals).orElse(false);
            case RETURN_VALUE -> Statements.returnType(dest)
                    .map(t -> !t.equals("void") && (t.equals(LocalTypes.UNKNOWN) || in.returnType().equals(LocalTypes.UNKNOWN) || t.equals(in.returnType())))
                    .orElse(false);
            case BREAK -> ((BreakStmt) in.node()).getLabel().isEmpty() && Statements.insideLoop(dest, false);
            case CONTINUE -> ((ContinueStmt) in.node()).getLabel().isEmpty() && Statements.insideLoop(dest, true);
        };
    }
}
