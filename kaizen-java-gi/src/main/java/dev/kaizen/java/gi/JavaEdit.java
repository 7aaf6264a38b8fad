package dev.kaizen.java.gi;

import com.github.javaparser.ast.Node;
import dev.kaizen.core.operator.Operator;
import dev.kaizen.core.operator.Proposal;
import dev.kaizen.core.operator.ProposalContext;
import dev.kaizen.core.program.Code;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A genetic-improvement edit of the Java code in a target's evolve regions, made on the parent's
 * JavaParser tree and written back as a text splice of one region, so the rest of the user's
 * formatting is kept. Only nodes whose whole source range lies in one region are edited. Every edit
 * is re-parsed with the whole rendered file before it is proposed; one that does not parse is
 * dropped and another random edit is tried, up to {@value #ATTEMPTS} times.
 *
 * <p>Descriptions read {@code java.cond: `i < n` -> `i <= n` in Sorter.java:42}, with line numbers
 * in the rendered file.
 */
public final class JavaEdit implements Operator {

    /** How many random edits one proposal tries before giving up. */
    public static final int ATTEMPTS = 16;

    /** The kinds of Java edit. */
    public enum Kind {
        /** Delete a statement (not a declaration still used, nor the last statement of a non-void method). */
        STMT_DELETE("java.stmt.delete"),
        /** Insert a copy of a statement from anywhere in the target's Java files before or after a statement. */
        STMT_COPY("java.stmt.copy"),
        /** Replace a statement by one from anywhere in the target's Java files. */
        STMT_REPLACE("java.stmt.replace"),
        /** Swap two statements of a block (sometimes of one region). */
        STMT_SWAP("java.stmt.swap"),
        /** Replace a binary operator by another of its family. */
        BINOP("java.binop"),
        /** Change, remove or insert a unary operator. */
        UNOP("java.unop"),
        /** Negate, relax, tighten, shift by one or fix a condition. */
        COND("java.cond"),
        /** Change a literal: plus or minus one, double, halve, zero, one, negate, flip. */
        LITERAL("java.literal"),
        /** Replace an expression by a same-typed variable, literal or expression from the target. */
        EXPR_REPLACE("java.expr.replace");

        private final String operatorName;

        Kind(String operatorName) {
            this.operatorName = operatorName;
        }

        public String operatorName() {
            return operatorName;
        }
    }

    private final String name;
    private final Mutation mutation;
    private final ParseCache cache;

    JavaEdit(String name, Mutation mutation, ParseCache cache) {
        this.name = Objects.requireNonNull(name, "name");
        this.mutation = Objects.requireNonNull(mutation, "mutation");
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    /** One operator with its own parse cache. */
    public static JavaEdit of(Kind kind) {
        return of(kind, new ParseCache(ParseCache.DEFAULT_CAPACITY));
    }

    static JavaEdit of(Kind kind, ParseCache cache) {
        Mutation m = switch (kind) {
            case STMT_DELETE -> new StatementEdits.Delete();
            case STMT_COPY -> new StatementEdits.Copy();
            case STMT_REPLACE -> new StatementEdits.Replace();
            case STMT_SWAP -> new StatementEdits.Swap();
            case BINOP -> new OperatorEdits.Binary();
            case UNOP -> new OperatorEdits.Unary();
            case COND -> new ConditionEdit();
            case LITERAL -> new LiteralEdit();
            case EXPR_REPLACE -> new ExpressionReplace();
        };
        return new JavaEdit(kind.operatorName(), m, cache);
    }

    /** One operator per kind, sharing one parse cache. */
    public static List<Operator> all() {
        ParseCache cache = new ParseCache(ParseCache.DEFAULT_CAPACITY);
        List<Operator> ops = new ArrayList<>();
        for (Kind k : Kind.values()) {
            ops.add(of(k, cache));
        }
        return ops;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<Proposal> propose(ProposalContext context) {
        ParsedProgram program = cache.get(context.target().blueprint(), context.parent().code());
        if (program.files().isEmpty()) {
            return Optional.empty();
        }
        List<? extends Node> sites = program.memo("sites." + name, () -> List.copyOf(mutation.sites(program)));
        if (sites.isEmpty()) {
            return Optional.empty();
        }
        RandomGenerator random = context.random();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Node site = sites.get(random.nextInt(sites.size()));
            Optional<Splice> splice = mutation.mutate(program, site, random);
            if (splice.isEmpty()) {
                continue;
            }
            Optional<Code> child = program.apply(splice.get());
            if (child.isPresent()) {
                return Optional.of(new Proposal(child.get(), name + ": " + splice.get().description()));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return name;
    }
}
