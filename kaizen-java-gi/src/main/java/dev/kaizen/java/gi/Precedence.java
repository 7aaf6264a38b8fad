package dev.kaizen.java.gi;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.expr.ArrayAccessExpr;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.InstanceOfExpr;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.MethodReferenceExpr;
import com.github.javaparser.ast.expr.SwitchExpr;
import com.github.javaparser.ast.expr.UnaryExpr;

/**
 * Java operator precedence, so that text spliced in for an expression keeps the tree it is meant
 * to have: replacing {@code b * c} in {@code a - b * c} by an addition must give
 * {@code a - (b + c)}, not {@code a - b + c}. Larger binds tighter.
 */
final class Precedence {

    static final int LAMBDA = 0;
    static final int ASSIGNMENT = 1;
    static final int TERNARY = 2;
    static final int RELATIONAL = 9;
    static final int ADDITIVE = 11;
    static final int UNARY = 13;
    static final int PRIMARY = 14;

    private Precedence() {}

    static int of(BinaryExpr.Operator op) {
        return switch (op) {
            case OR -> 3;
            case AND -> 4;
            case BINARY_OR -> 5;
            case XOR -> 6;
            case BINARY_AND -> 7;
            case EQUALS, NOT_EQUALS -> 8;
            case LESS, GREATER, LESS_EQUALS, GREATER_EQUALS -> RELATIONAL;
            case LEFT_SHIFT, SIGNED_RIGHT_SHIFT, UNSIGNED_RIGHT_SHIFT -> 10;
            case PLUS, MINUS -> ADDITIVE;
            case MULTIPLY, DIVIDE, REMAINDER -> 12;
        };
    }

    static int of(Expression e) {
        return switch (e) {
            case BinaryExpr b -> of(b.getOperator());
            case InstanceOfExpr i -> RELATIONAL;
            case ConditionalExpr c -> TERNARY;
            case AssignExpr a -> ASSIGNMENT;
            case LambdaExpr l -> LAMBDA;
            case SwitchExpr s -> LAMBDA;
            case UnaryExpr u -> u.isPostfix() ? PRIMARY : UNARY;
            case CastExpr c -> UNARY;
            default -> PRIMARY;
        };
    }

    /** Whether text of precedence {@code prec} put where {@code site} is needs parentheses. */
    static boolean needsParens(Expression site, int prec) {
        Node parent = site.getParentNode().orElse(null);
        return switch (parent) {
            case BinaryExpr b -> b.getLeft() == site ? prec < of(b.getOperator()) : prec <= of(b.getOperator());
            case InstanceOfExpr i -> prec <= RELATIONAL;
            case UnaryExpr u -> prec < (u.isPostfix() ? PRIMARY : UNARY);
            case CastExpr c -> prec < UNARY;
            case FieldAccessExpr f -> prec < PRIMARY;
            case MethodCallExpr m -> m.getScope().orElse(null) == site && prec < PRIMARY;
            case ArrayAccessExpr a -> a.getName() == site && prec < PRIMARY;
            case MethodReferenceExpr m -> prec < PRIMARY;
            case ConditionalExpr c -> c.getCondition() == site ? prec <= TERNARY : prec < TERNARY;
            case null, default -> false;
        };
    }

    /** {@code text}, parenthesized when {@code parens}. */
    static String wrap(String text, boolean parens) {
        return parens ? "(" + text + ")" : text;
    }

    /** The text to put where {@code site} is, parenthesized if its precedence needs it there. */
    static String fit(Expression site, String text, int prec) {
        return wrap(text, needsParens(site, prec));
    }
}
