package dev.kaizen.worker;

import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Calls {@link Deadline#check()} before every backward jump: a conditional or unconditional jump,
 * or a switch case, to a label already seen in the method, which is how every loop (and every
 * {@code continue}) compiles. The call takes and leaves no operands, so stack sizes and frames are
 * unchanged.
 */
final class LoopGuard extends ClassVisitor {

    private static final String DEADLINE = Type.getInternalName(Deadline.class);

    LoopGuard(ClassVisitor next) {
        super(Opcodes.ASM9, next);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
        return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, descriptor, signature, exceptions)) {
            private final Set<Label> seen = new HashSet<>();

            @Override
            public void visitLabel(Label label) {
                seen.add(label);
                super.visitLabel(label);
            }

            @Override
            public void visitJumpInsn(int opcode, Label label) {
                if (seen.contains(label)) {
                    check();
                }
                super.visitJumpInsn(opcode, label);
            }

            @Override
            public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
                if (backward(dflt, labels)) {
                    check();
                }
                super.visitTableSwitchInsn(min, max, dflt, labels);
            }

            @Override
            public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
                if (backward(dflt, labels)) {
                    check();
                }
                super.visitLookupSwitchInsn(dflt, keys, labels);
            }

            private boolean backward(Label dflt, Label[] labels) {
                if (seen.contains(dflt)) {
                    return true;
                }
                for (Label l : labels) {
                    if (seen.contains(l)) {
                        return true;
                    }
                }
                return false;
            }

            private void check() {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, DEADLINE, "check", "()V", false);
            }
        };
    }
}
