package dev.kaizen.worker;

import dev.kaizen.worker.GuardRules.Rule;
import dev.kaizen.worker.wire.GuardPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The bytecode guard: reads a candidate's freshly compiled classes, before any of them is loaded,
 * and refuses the candidate when they reference what the {@link GuardPolicy} forbids (see
 * {@link GuardRules}). It looks at every call, field access, object creation, method reference
 * (a lambda's target, a {@code ProcessBuilder::start} passed as a function, a method handle
 * constant), superclass and interface, every method declared {@code native}, and, for the
 * categories where any mention counts ({@code unsafe}), every type in a descriptor, cast or class
 * constant. String constants are not looked at: a name in a string does nothing without a call
 * that the guard sees ({@code Class.forName}, {@code Method.invoke}).
 *
 * <p>Only the candidate's own classes are read, never the project's or its libraries'.
 * Immutable and thread-safe.
 */
final class CandidateGuard {

    /** Refusals listed in the detail after the first. */
    private static final int LISTED = 10;

    private final Map<String, List<Rule>> byOwner = new HashMap<>();
    private final List<Rule> byPrefix = new ArrayList<>();
    private final List<Rule> anyReference = new ArrayList<>();
    /** Pattern rules' category to the pattern as the user wrote it. */
    private final Map<String, String> patterns = new HashMap<>();
    private final boolean refusesNative;

    CandidateGuard(GuardPolicy policy) {
        refusesNative = policy.refused().contains("native");
        List<Rule> active = new ArrayList<>();
        for (Rule r : GuardRules.RULES) {
            if (policy.refused().contains(r.category())) {
                active.add(r);
            }
        }
        for (String p : policy.patterns()) {
            String category = "pattern " + p;
            patterns.put(category, p);
            if (p.endsWith(".*")) {
                active.add(new Rule(category, p.substring(0, p.length() - 1).replace('.', '/'), null, null, false));
            } else {
                String internal = p.replace('.', '/');
                active.add(new Rule(category, internal, null, null, false));
                int dot = p.lastIndexOf('.');
                active.add(new Rule(category, p.substring(0, dot).replace('.', '/'), p.substring(dot + 1), null, false));
            }
        }
        for (Rule r : active) {
            if (r.owner().endsWith("/")) {
                byPrefix.add(r);
            } else {
                byOwner.computeIfAbsent(r.owner(), o -> new ArrayList<>()).add(r);
            }
            if (r.anyReference()) {
                anyReference.add(r);
            }
        }
    }

    /**
     * What the guard refuses in {@code program}: empty when nothing, otherwise the first refusal
     * on the first line (what, where, why) and up to {@value #LISTED} more on the lines after it.
     */
    Optional<String> check(CompiledProgram program) {
        Map<String, byte[]> classes = new TreeMap<>();
        Map<String, String> superNames = new HashMap<>();
        program.classes().forEach((name, bytes) -> {
            String internal = name.replace('.', '/');
            classes.put(internal, bytes);
            superNames.put(internal, reader(bytes).getSuperName());
        });
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : classes.entrySet()) {
            reader(e.getValue()).accept(new Scan(e.getKey(), superNames, found), ClassReader.SKIP_FRAMES);
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder b = new StringBuilder(found.getFirst());
        found.stream().skip(1).limit(LISTED).forEach(f -> b.append("\n").append(f));
        if (found.size() > LISTED + 1) {
            b.append("\n(").append(found.size() - LISTED - 1).append(" more)");
        }
        return Optional.of(b.toString());
    }

    private static ClassReader reader(byte[] bytes) {
        return new ClassReader(ClassTransform.readable(bytes, ClassTransform.version(bytes)));
    }

    /** The first rule refusing a reference to {@code owner.name} with {@code descriptor}, or null. */
    private Rule member(String owner, String name, String descriptor) {
        List<Rule> exact = byOwner.get(owner);
        if (exact != null) {
            for (Rule r : exact) {
                if (r.matches(owner, name, descriptor)) {
                    return r;
                }
            }
        }
        for (Rule r : byPrefix) {
            if (r.matches(owner, name, descriptor)) {
                return r;
            }
        }
        Rule t = mentioned(owner);
        return t != null ? t : mentioned(descriptor);
    }

    /** The first any-reference rule whose type {@code descriptorOrName} mentions, or null. */
    private Rule mentioned(String descriptorOrName) {
        if (descriptorOrName == null) {
            return null;
        }
        for (Rule r : anyReference) {
            if (r.ownerMatches(descriptorOrName) || r.mentionedIn(descriptorOrName)) {
                return r;
            }
        }
        return null;
    }

    /** The first whole-class rule refusing {@code type} as a superclass or interface, or null. */
    private Rule wholeClass(String type) {
        for (Rule r : byOwner.getOrDefault(type, List.of())) {
            if (r.member() == null) {
                return r;
            }
        }
        for (Rule r : byPrefix) {
            if (r.member() == null && r.ownerMatches(type)) {
                return r;
            }
        }
        return null;
    }

    private String why(Rule r) {
        String pattern = patterns.get(r.category());
        if (pattern != null) {
            return "forbidden by the target's guard pattern " + pattern;
        }
        return GuardPolicy.CATEGORIES.get(r.category()) + " (guard category " + r.category() + ")";
    }

    /** Reads one class and adds what it finds. */
    private final class Scan extends ClassVisitor {
        private final String className;
        private final Map<String, String> superNames;
        private final List<String> found;

        Scan(String className, Map<String, String> superNames, List<String> found) {
            super(Opcodes.ASM9);
            this.className = className;
            this.superNames = superNames;
            this.found = found;
        }

        private void add(Rule r, String what, String where) {
            if (r != null) {
                found.add("forbidden " + what + " in " + where + ": " + why(r));
            }
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            String where = "class " + simple(className);
            if (superName != null) {
                add(wholeClass(superName), "superclass " + dotted(superName), where);
                String ancestor = superName;
                for (int depth = 0; ancestor != null && depth < 64; depth++) {
                    if (GuardRules.CLASS_LOADERS.contains(ancestor)) {
                        add(member(ancestor, "<init>", "()V"), "class loader subclass of " + dotted(ancestor), where);
                        break;
                    }
                    ancestor = superNames.get(ancestor);
                }
            }
            for (String i : interfaces) {
                add(wholeClass(i), "interface " + dotted(i), where);
            }
        }

        @Override
        public org.objectweb.asm.FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            add(mentioned(descriptor), "type reference " + typeName(descriptor), "field " + simple(className) + "." + name);
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            if ((access & Opcodes.ACC_NATIVE) != 0 && refusesNative) {
                found.add("forbidden native method " + simple(className) + "." + name + params(descriptor) + ": "
                        + GuardPolicy.CATEGORIES.get("native") + " (guard category native)");
            }
            add(mentioned(descriptor), "type reference in the signature " + params(descriptor), method(name, 0));
            return new MethodVisitor(Opcodes.ASM9) {
                private int line;

                private String where() {
                    return method(name, line);
                }

                @Override
                public void visitLineNumber(int number, Label start) {
                    line = number;
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String member, String desc, boolean isInterface) {
                    add(member(owner, member, desc), "call " + call(owner, member, desc), where());
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String field, String desc) {
                    add(member(owner, field, desc), "field access " + dotted(owner) + "." + field, where());
                }

                @Override
                public void visitTypeInsn(int opcode, String type) {
                    add(mentioned(type), "type reference " + typeName(type), where());
                }

                @Override
                public void visitMultiANewArrayInsn(String descriptor, int dimensions) {
                    add(mentioned(descriptor), "type reference " + typeName(descriptor), where());
                }

                @Override
                public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
                    add(mentioned(type), "type reference " + (type == null ? "" : typeName(type)), where());
                }

                @Override
                public void visitLocalVariable(String local, String desc, String sig, Label start, Label end, int index) {
                    add(mentioned(desc), "type reference " + typeName(desc), where());
                }

                @Override
                public void visitLdcInsn(Object value) {
                    constant(value, where());
                }

                @Override
                public void visitInvokeDynamicInsn(String indyName, String desc, Handle bootstrap, Object... arguments) {
                    add(mentioned(desc), "type reference in " + params(desc), where());
                    constant(bootstrap, where());
                    for (Object a : arguments) {
                        constant(a, where());
                    }
                }
            };
        }

        private void constant(Object value, String where) {
            switch (value) {
                case Handle h -> {
                    boolean field = h.getTag() <= Opcodes.H_PUTSTATIC;
                    add(member(h.getOwner(), h.getName(), h.getDesc()),
                            field ? "field reference " + dotted(h.getOwner()) + "." + h.getName()
                                    : "method reference " + call(h.getOwner(), h.getName(), h.getDesc()), where);
                }
                case Type t -> {
                    String d = t.getDescriptor();
                    add(mentioned(d), "type reference " + (t.getSort() == Type.METHOD ? params(d) : t.getClassName()), where);
                }
                case ConstantDynamic c -> {
                    add(mentioned(c.getDescriptor()), "type reference " + typeName(c.getDescriptor()), where);
                    constant(c.getBootstrapMethod(), where);
                    for (int i = 0; i < c.getBootstrapMethodArgumentCount(); i++) {
                        constant(c.getBootstrapMethodArgument(i), where);
                    }
                }
                case null, default -> {
                    // numbers and strings do nothing by themselves
                }
            }
        }

        private String method(String name, int line) {
            String cls = simple(className);
            String m;
            if (name.equals("<init>")) {
                m = "the constructor of " + cls;
            } else if (name.equals("<clinit>")) {
                m = "the static initializer of " + cls;
            } else if (name.startsWith("lambda$")) {
                String[] parts = name.split("\\$");
                String in = parts.length > 2 ? parts[1] : name;
                m = "a lambda in " + cls + "." + (in.equals("new") ? "<init>" : in.equals("static") ? "<clinit>" : in);
            } else {
                m = cls + "." + name;
            }
            return line > 0 ? m + " (line " + line + ")" : m;
        }
    }

    private static String simple(String internalName) {
        return internalName.substring(internalName.lastIndexOf('/') + 1);
    }

    private static String dotted(String internalName) {
        return internalName.replace('/', '.');
    }

    /** A type's name from an internal name or a descriptor. */
    private static String typeName(String nameOrDescriptor) {
        if (nameOrDescriptor.startsWith("[") || nameOrDescriptor.endsWith(";")) {
            return Type.getType(nameOrDescriptor).getClassName();
        }
        return dotted(nameOrDescriptor);
    }

    /** {@code java.lang.ProcessBuilder.start()} or {@code new java.io.FileWriter(String)}. */
    private static String call(String owner, String name, String descriptor) {
        String params = descriptor.startsWith("(") ? params(descriptor) : "";
        return name.equals("<init>") ? "new " + typeName(owner) + params : typeName(owner) + "." + name + params;
    }

    /** {@code (String, int[])}: the parameter types' simple names. */
    private static String params(String methodDescriptor) {
        StringBuilder b = new StringBuilder("(");
        Type[] args = Type.getArgumentTypes(methodDescriptor);
        for (int i = 0; i < args.length; i++) {
            String n = args[i].getClassName();
            b.append(i == 0 ? "" : ", ").append(n.substring(n.lastIndexOf('.') + 1));
        }
        return b.append(")").toString();
    }
}
