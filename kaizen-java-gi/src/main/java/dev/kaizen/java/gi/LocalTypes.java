package dev.kaizen.java.gi;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.NodeList;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.EnumConstantDeclaration;
import com.github.javaparser.ast.body.EnumDeclaration;
import com.github.javaparser.ast.body.FieldDeclaration;
import com.github.javaparser.ast.body.InitializerDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.RecordDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.ArrayAccessExpr;
import com.github.javaparser.ast.expr.ArrayCreationExpr;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.BooleanLiteralExpr;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.CharLiteralExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.expr.DoubleLiteralExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.InstanceOfExpr;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.LongLiteralExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.expr.TextBlockLiteralExpr;
import com.github.javaparser.ast.expr.ThisExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.expr.VariableDeclarationExpr;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.CatchClause;
import com.github.javaparser.ast.stmt.ExpressionStmt;
import com.github.javaparser.ast.stmt.ForEachStmt;
import com.github.javaparser.ast.stmt.ForStmt;
import com.github.javaparser.ast.stmt.Statement;
import com.github.javaparser.ast.stmt.SwitchEntry;
import com.github.javaparser.ast.stmt.TryStmt;
import com.github.javaparser.ast.type.Type;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Light local type inference and scoping, without the symbol solver. A type is the normalized text
 * of a declared type ({@code int}, {@code int[]}, {@code String}, {@code List<Integer>}), or
 * {@link #UNKNOWN}.
 *
 * <p>What it knows: the declared types of locals declared earlier in enclosing blocks, of
 * parameters (method, constructor, lambda with explicit types, catch, for-each, resources) and of
 * the fields of enclosing classes (static fields only in static contexts); {@code var} locals take
 * their initializer's type; literal types; unary, binary (numeric promotion, string concatenation,
 * comparisons), conditional, cast, assignment and array-access results; {@code a.length} of arrays;
 * {@code this.f}; and the return types of a short list of {@code String} and {@code Math} methods and
 * of methods declared, unambiguously by name and arity, in an enclosing class.
 *
 * <p>What it does not: inherited members and other classes' fields or methods, generics (a type is
 * its text; {@code T} stays {@code T}), imports (qualified and simple names are different types),
 * boxing in comparisons of types ({@code Integer} is not {@code int}), implicitly typed lambda
 * parameters, pattern variables, and definite assignment. Anything it cannot tell is
 * {@link #UNKNOWN}, and operators treat unknown as "do not assume".
 */
final class LocalTypes {

    static final String UNKNOWN = "?";

    private static final int MAX_DEPTH = 8;
    private static final Map<String, String> UNBOXED = Map.of(
            "Integer", "int", "Long", "long", "Double", "double", "Float", "float",
            "Short", "short", "Byte", "byte", "Character", "char", "Boolean", "boolean");
    private static final List<String> NUMERIC = List.of("byte", "short", "char", "int", "long", "float", "double");
    private static final Set<String> MATH_DOUBLE = Set.of("sqrt", "pow", "exp", "log", "log10", "log1p", "expm1", "sin",
            "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "floor", "ceil", "rint", "hypot", "cbrt",
            "random", "toRadians", "toDegrees");

    /** A variable in scope: its name, type and whether it is a field. */
    record Var(String name, String type, boolean field) {}

    private final IdentityHashMap<Expression, String> memo = new IdentityHashMap<>();
    private int depth;

    /** The type of an expression, or {@link #UNKNOWN}. */
    synchronized String of(Expression e) {
        String t = memo.get(e);
        if (t == null) {
            if (depth > MAX_DEPTH) {
                return UNKNOWN;
            }
            depth++;
            try {
                t = compute(e);
            } finally {
                depth--;
            }
            memo.put(e, t);
        }
        return t;
    }

    /** The innermost variable named {@code name} visible at {@code at}. */
    Optional<Var> lookup(Node at, String name) {
        Var[] found = new Var[1];
        walk(at, v -> {
            if (v.name().equals(name)) {
                found[0] = v;
                return true;
            }
            return false;
        });
        return Optional.ofNullable(found[0]);
    }

    /** All variables visible at {@code at}, innermost declaration per name, innermost first. */
    Map<String, Var> visible(Node at) {
        Map<String, Var> out = new LinkedHashMap<>();
        walk(at, v -> {
            out.putIfAbsent(v.name(), v);
            return false;
        });
        return out;
    }

    /** Whether code at {@code at} runs without {@code this} (in a static method, initializer or field). */
    static boolean staticContext(Node at) {
        for (Node p = at.getParentNode().orElse(null); p != null; p = p.getParentNode().orElse(null)) {
            if (p instanceof CallableDeclaration<?> c) {
                return c.isStatic();
            }
            if (p instanceof InitializerDeclaration i) {
                return i.isStatic();
            }
            if (p instanceof FieldDeclaration f) {
                return f.isStatic();
            }
            if (p instanceof TypeDeclaration<?>) {
                return false;
            }
        }
        return false;
    }

    /** The normalized text of a type: no annotations, no whitespace, no {@code java.lang.} prefix. */
    static String normalize(Type type) {
        if (type.isVarType() || type.isUnknownType()) {
            return UNKNOWN;
        }
        String s = type.asString().replaceAll("@[\\w.]+(\\([^)]*\\))?", "").replaceAll("\\s+", "");
        return s.startsWith("java.lang.") ? s.substring("java.lang.".length()) : s;
    }

    static boolean isBoolean(String t) {
        return unbox(t).equals("boolean");
    }

    static boolean isString(String t) {
        return t.equals("String");
    }

    static boolean isNumeric(String t) {
        return NUMERIC.contains(unbox(t));
    }

    static boolean isIntegral(String t) {
        String u = unbox(t);
        return isNumeric(u) && !u.equals("float") && !u.equals("double");
    }

    static boolean isFloating(String t) {
        String u = unbox(t);
        return u.equals("float") || u.equals("double");
    }

    static String unbox(String t) {
        return UNBOXED.getOrDefault(t, t);
    }

    /** Unary numeric promotion: byte, short and char become int. */
    static String promote(String t) {
        String u = unbox(t);
        if (!isNumeric(u)) {
            return UNKNOWN;
        }
        return switch (u) {
            case "byte", "short", "char" -> "int";
            default -> u;
        };
    }

    /** Binary numeric promotion. */
    static String promote(String a, String b) {
        String x = promote(a);
        String y = promote(b);
        if (x.equals(UNKNOWN) || y.equals(UNKNOWN)) {
            return UNKNOWN;
        }
        for (String t : List.of("double", "float", "long")) {
            if (x.equals(t) || y.equals(t)) {
                return t;
            }
        }
        return "int";
    }

    private String compute(Expression e) {
        return switch (e) {
            case IntegerLiteralExpr l -> "int";
            case LongLiteralExpr l -> "long";
            case DoubleLiteralExpr l -> l.getValue().endsWith("f") || l.getValue().endsWith("F") ? "float" : "double";
            case CharLiteralExpr l -> "char";
            case StringLiteralExpr l -> "String";
            case TextBlockLiteralExpr l -> "String";
            case BooleanLiteralExpr l -> "boolean";
            case NameExpr n -> lookup(n, n.getNameAsString()).map(Var::type).orElse(UNKNOWN);
            case EnclosedExpr en -> of(en.getInner());
            case CastExpr c -> normalize(c.getType());
            case InstanceOfExpr i -> "boolean";
            case AssignExpr a -> of(a.getTarget());
            case UnaryExpr u -> switch (u.getOperator()) {
                case LOGICAL_COMPLEMENT -> "boolean";
                case PREFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_INCREMENT, POSTFIX_DECREMENT -> of(u.getExpression());
                default -> promote(of(u.getExpression()));
            };
            case BinaryExpr b -> binary(b);
            case ConditionalExpr c -> {
                String a = of(c.getThenExpr());
                String b = of(c.getElseExpr());
                yield a.equals(b) ? a : (isNumeric(a) && isNumeric(b) ? promote(a, b) : UNKNOWN);
            }
            case ArrayAccessExpr a -> {
                String t = of(a.getName());
                yield t.endsWith("[]") ? t.substring(0, t.length() - 2) : UNKNOWN;
            }
            case FieldAccessExpr f -> field(f);
            case MethodCallExpr m -> call(m);
            case ObjectCreationExpr o -> o.getAnonymousClassBody().isPresent() ? UNKNOWN : normalize(o.getType());
            case ArrayCreationExpr a -> normalize(a.getElementType()) + "[]".repeat(a.getLevels().size());
            default -> UNKNOWN;
        };
    }

    private String binary(BinaryExpr b) {
        String l = of(b.getLeft());
        String r = of(b.getRight());
        return switch (b.getOperator()) {
            case OR, AND, EQUALS, NOT_EQUALS, LESS, GREATER, LESS_EQUALS, GREATER_EQUALS -> "boolean";
            case BINARY_AND, BINARY_OR, XOR -> isBoolean(l) && isBoolean(r) ? "boolean" : (isIntegral(l) && isIntegral(r) ? promote(l, r) : UNKNOWN);
            case LEFT_SHIFT, SIGNED_RIGHT_SHIFT, UNSIGNED_RIGHT_SHIFT -> isIntegral(l) ? promote(l) : UNKNOWN;
            case PLUS -> isString(l) || isString(r) ? "String" : promote(l, r);
            case MINUS, MULTIPLY, DIVIDE, REMAINDER -> promote(l, r);
        };
    }

    private String field(FieldAccessExpr f) {
        String name = f.getNameAsString();
        Expression scope = f.getScope();
        if (scope instanceof ThisExpr t && t.getTypeName().isEmpty()) {
            for (Node p = f.getParentNode().orElse(null); p != null; p = p.getParentNode().orElse(null)) {
                if (p instanceof TypeDeclaration<?> type) {
                    for (FieldDeclaration fd : type.getFields()) {
                        for (VariableDeclarator v : fd.getVariables()) {
                            if (v.getNameAsString().equals(name)) {
                                return normalize(v.getType());
                            }
                        }
                    }
                    return UNKNOWN;
                }
            }
            return UNKNOWN;
        }
        if (scope instanceof NameExpr n && lookup(f, n.getNameAsString()).isEmpty()) {
            String owner = n.getNameAsString();
            if (name.equals("MAX_VALUE") || name.equals("MIN_VALUE")) {
                String t = UNBOXED.get(owner);
                if (t != null && isNumeric(t)) {
                    return t;
                }
            }
            if (owner.equals("Math") && (name.equals("PI") || name.equals("E"))) {
                return "double";
            }
            return UNKNOWN;
        }
        if (name.equals("length") && of(scope).endsWith("[]")) {
            return "int";
        }
        return UNKNOWN;
    }

    private String call(MethodCallExpr m) {
        String name = m.getNameAsString();
        NodeList<Expression> args = m.getArguments();
        if (m.getScope().isEmpty()) {
            return declaredReturnType(m, name, args.size());
        }
        Expression scope = m.getScope().get();
        if (scope instanceof NameExpr n && lookup(m, n.getNameAsString()).isEmpty()) {
            String owner = n.getNameAsString();
            if (owner.equals("Math") || owner.equals("StrictMath")) {
                if (MATH_DOUBLE.contains(name)) {
                    return "double";
                }
                return switch (name) {
                    case "abs", "negateExact", "incrementExact", "decrementExact" -> args.size() == 1 ? promote(of(args.get(0))) : UNKNOWN;
                    case "max", "min", "floorDiv", "floorMod", "addExact", "subtractExact", "multiplyExact" ->
                            args.size() == 2 ? promote(of(args.get(0)), of(args.get(1))) : UNKNOWN;
                    case "round" -> args.size() == 1 ? (unbox(of(args.get(0))).equals("float") ? "int" : "long") : UNKNOWN;
                    case "signum" -> args.size() == 1 && isFloating(of(args.get(0))) ? unbox(of(args.get(0))) : UNKNOWN;
                    default -> UNKNOWN;
                };
            }
            return switch (owner + "." + name) {
                case "Integer.parseInt", "Integer.compare", "Long.compare", "Double.compare", "Character.getNumericValue" -> "int";
                case "Long.parseLong" -> "long";
                case "Double.parseDouble" -> "double";
                case "String.valueOf", "Integer.toString", "Long.toString", "Double.toString", "String.format", "String.join" -> "String";
                case "Character.isDigit", "Character.isLetter", "Character.isWhitespace", "Character.isUpperCase",
                        "Character.isLowerCase", "Character.isLetterOrDigit" -> "boolean";
                default -> UNKNOWN;
            };
        }
        String st = of(scope);
        if (isString(st)) {
            switch (name) {
                case "length", "indexOf", "lastIndexOf", "compareTo", "compareToIgnoreCase", "hashCode" -> {
                    return "int";
                }
                case "charAt" -> {
                    return "char";
                }
                case "isEmpty", "isBlank", "equals", "equalsIgnoreCase", "startsWith", "endsWith", "contains", "matches" -> {
                    return "boolean";
                }
                case "substring", "trim", "strip", "toUpperCase", "toLowerCase", "repeat", "replace", "concat", "toString" -> {
                    return "String";
                }
                default -> {
                    return UNKNOWN;
                }
            }
        }
        if (st.equals(UNKNOWN)) {
            return UNKNOWN;
        }
        return switch (name) {
            case "equals" -> args.size() == 1 ? "boolean" : UNKNOWN;
            case "hashCode" -> args.isEmpty() ? "int" : UNKNOWN;
            case "toString" -> args.isEmpty() ? "String" : UNKNOWN;
            case "size" -> args.isEmpty() && !isNumeric(st) && !isBoolean(st) ? "int" : UNKNOWN;
            case "length" -> args.isEmpty() && (st.equals("StringBuilder") || st.equals("CharSequence")) ? "int" : UNKNOWN;
            default -> UNKNOWN;
        };
    }

    /** The return type of the methods named {@code name} with {@code arity} parameters in the enclosing classes, when they agree. */
    private static String declaredReturnType(Node at, String name, int arity) {
        for (Node p = at.getParentNode().orElse(null); p != null; p = p.getParentNode().orElse(null)) {
            if (p instanceof TypeDeclaration<?> type) {
                String found = null;
                for (MethodDeclaration md : type.getMethodsByName(name)) {
                    if (md.getParameters().size() != arity && !(md.getParameters().isNonEmpty() && md.getParameter(md.getParameters().size() - 1).isVarArgs())) {
                        continue;
                    }
                    String t = md.getTypeParameters().isEmpty() ? normalize(md.getType()) : UNKNOWN;
                    if (found != null && !found.equals(t)) {
                        return UNKNOWN;
                    }
                    found = t;
                }
                if (found != null) {
                    return found.equals("void") ? UNKNOWN : found;
                }
            }
        }
        return UNKNOWN;
    }

    /**
     * Offers the variables visible at {@code at} to {@code sink}, innermost first, until it returns
     * true. Returns whether it did.
     */
    private boolean walk(Node at, Predicate<Var> sink) {
        Node child = at;
        boolean staticOnly = false;
        for (Node p = at.getParentNode().orElse(null); p != null; child = p, p = p.getParentNode().orElse(null)) {
            switch (p) {
                case BlockStmt b -> {
                    if (locals(b.getStatements(), child, sink)) {
                        return true;
                    }
                }
                case SwitchEntry e -> {
                    if (contains(e.getStatements(), child) && locals(e.getStatements(), child, sink)) {
                        return true;
                    }
                }
                case ForStmt f -> {
                    if (!contains(f.getInitialization(), child)) {
                        for (Expression init : f.getInitialization()) {
                            if (init instanceof VariableDeclarationExpr v && declare(v, sink)) {
                                return true;
                            }
                        }
                    }
                }
                case ForEachStmt f -> {
                    if (child == f.getBody()) {
                        VariableDeclarator v = f.getVariableDeclarator();
                        String t = normalize(v.getType());
                        if (t.equals(UNKNOWN)) {
                            String it = of(f.getIterable());
                            t = it.endsWith("[]") ? it.substring(0, it.length() - 2) : UNKNOWN;
                        }
                        if (sink.test(new Var(v.getNameAsString(), t, false))) {
                            return true;
                        }
                    }
                }
                case CatchClause c -> {
                    if (child == c.getBody() && parameter(c.getParameter(), sink)) {
                        return true;
                    }
                }
                case TryStmt t -> {
                    if (child == t.getTryBlock()) {
                        for (Expression r : t.getResources()) {
                            if (r instanceof VariableDeclarationExpr v && declare(v, sink)) {
                                return true;
                            }
                        }
                    }
                }
                case LambdaExpr l -> {
                    for (Parameter param : l.getParameters()) {
                        if (parameter(param, sink)) {
                            return true;
                        }
                    }
                }
                case CallableDeclaration<?> c -> {
                    for (Parameter param : c.getParameters()) {
                        if (parameter(param, sink)) {
                            return true;
                        }
                    }
                    staticOnly |= c.isStatic();
                }
                case InitializerDeclaration i -> staticOnly |= i.isStatic();
                case FieldDeclaration f -> staticOnly |= f.isStatic();
                case TypeDeclaration<?> type -> {
                    if (members(type, staticOnly, sink)) {
                        return true;
                    }
                    boolean inner = type instanceof ClassOrInterfaceDeclaration c && !c.isInterface() && !c.isStatic()
                            && !(c.getParentNode().orElse(null) instanceof ClassOrInterfaceDeclaration outer && outer.isInterface());
                    staticOnly |= !inner;
                }
                default -> {}
            }
        }
        return false;
    }

    private boolean members(TypeDeclaration<?> type, boolean staticOnly, Predicate<Var> sink) {
        boolean iface = type instanceof ClassOrInterfaceDeclaration c && c.isInterface();
        if (type instanceof RecordDeclaration r && !staticOnly) {
            for (Parameter p : r.getParameters()) {
                if (parameter(p, sink)) {
                    return true;
                }
            }
        }
        if (type instanceof EnumDeclaration en) {
            for (EnumConstantDeclaration c : en.getEntries()) {
                if (sink.test(new Var(c.getNameAsString(), en.getNameAsString(), true))) {
                    return true;
                }
            }
        }
        for (FieldDeclaration f : type.getFields()) {
            if (staticOnly && !f.isStatic() && !iface) {
                continue;
            }
            for (VariableDeclarator v : f.getVariables()) {
                if (sink.test(new Var(v.getNameAsString(), normalize(v.getType()), true))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Locals declared by the statements before {@code child} (all of them when it is not one). */
    private boolean locals(NodeList<Statement> statements, Node child, Predicate<Var> sink) {
        for (Statement s : statements) {
            if (s == child) {
                break;
            }
            if (s instanceof ExpressionStmt es && es.getExpression() instanceof VariableDeclarationExpr v && declare(v, sink)) {
                return true;
            }
        }
        return false;
    }

    private boolean declare(VariableDeclarationExpr v, Predicate<Var> sink) {
        for (VariableDeclarator d : v.getVariables()) {
            String t = normalize(d.getType());
            if (t.equals(UNKNOWN) && d.getInitializer().isPresent()) {
                t = of(d.getInitializer().get());
            }
            if (sink.test(new Var(d.getNameAsString(), t, false))) {
                return true;
            }
        }
        return false;
    }

    private static boolean parameter(Parameter p, Predicate<Var> sink) {
        String t = normalize(p.getType());
        if (p.isVarArgs() && !t.equals(UNKNOWN)) {
            t = t + "[]";
        }
        return sink.test(new Var(p.getNameAsString(), t, false));
    }

    private static boolean contains(NodeList<? extends Node> list, Node node) {
        for (Node n : list) {
            if (n == node) {
                return true;
            }
        }
        return false;
    }
}
