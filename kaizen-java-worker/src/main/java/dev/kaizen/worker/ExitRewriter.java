package dev.kaizen.worker;

import java.nio.charset.StandardCharsets;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Redirects {@code System.exit(int)}, {@code Runtime.exit(int)} and {@code Runtime.halt(int)} to
 * {@link ExitTrap}, in calls and in method handles (so {@code System::exit} is caught too). The
 * replacements take the same operands, so stack sizes and frames are unchanged.
 */
final class ExitRewriter extends ClassVisitor {

    private static final String TRAP = Type.getInternalName(ExitTrap.class);
    private static final byte[][] MARKERS = {utf8Entry("exit"), utf8Entry("halt")};

    ExitRewriter(ClassVisitor next) {
        super(Opcodes.ASM9, next);
    }

    /** A cheap pre-check: a class whose constant pool names no {@code exit} or {@code halt} cannot call them. */
    static boolean mayCallExit(byte[] classFile) {
        for (byte[] marker : MARKERS) {
            if (indexOf(classFile, marker) >= 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, descriptor, signature, exceptions)) {
            @Override
            public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
                String target = target(owner, name, descriptor);
                if (target != null && (opcode == Opcodes.INVOKESTATIC || opcode == Opcodes.INVOKEVIRTUAL)) {
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, TRAP, target, trapDescriptor(owner), false);
                } else {
                    super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
                }
            }

            @Override
            public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
                Object[] rewritten = arguments.clone();
                for (int i = 0; i < rewritten.length; i++) {
                    rewritten[i] = rewrite(rewritten[i]);
                }
                super.visitInvokeDynamicInsn(name, descriptor, bootstrap, rewritten);
            }

            @Override
            public void visitLdcInsn(Object value) {
                super.visitLdcInsn(rewrite(value));
            }
        };
    }

    private static Object rewrite(Object constant) {
        if (constant instanceof Handle h) {
            String target = target(h.getOwner(), h.getName(), h.getDesc());
            if (target != null && (h.getTag() == Opcodes.H_INVOKESTATIC || h.getTag() == Opcodes.H_INVOKEVIRTUAL)) {
                return new Handle(Opcodes.H_INVOKESTATIC, TRAP, target, trapDescriptor(h.getOwner()), false);
            }
        }
        return constant;
    }

    /** The {@link ExitTrap} method replacing this call, or null when it is not an exit. */
    private static String target(String owner, String name, String descriptor) {
        if (!"(I)V".equals(descriptor)) {
            return null;
        }
        return switch (owner + "." + name) {
            case "java/lang/System.exit" -> "exit";
            case "java/lang/Runtime.exit" -> "runtimeExit";
            case "java/lang/Runtime.halt" -> "runtimeHalt";
            default -> null;
        };
    }

    private static String trapDescriptor(String owner) {
        return owner.equals("java/lang/Runtime") ? "(Ljava/lang/Runtime;I)V" : "(I)V";
    }

    private static byte[] utf8Entry(String s) {
        byte[] text = s.getBytes(StandardCharsets.UTF_8);
        byte[] entry = new byte[text.length + 3];
        entry[0] = 1; // CONSTANT_Utf8
        entry[2] = (byte) text.length;
        System.arraycopy(text, 0, entry, 3, text.length);
        return entry;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
