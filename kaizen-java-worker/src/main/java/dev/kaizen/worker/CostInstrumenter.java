package dev.kaizen.worker;

import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * Adds {@code CostCounter.add(n)} at the start of every basic block, {@code n} being the number of
 * bytecode instructions in the block. A block starts at the method's entry, at every jump or switch
 * target and exception handler, and after every jump, switch, return and {@code athrow}. The call
 * goes after the block's label, line number and stack map frame, so frames stay where they were
 * (and after a block's leading {@code new}, whose offset frames may refer to); it pushes one int,
 * hence one more slot of stack.
 */
final class CostInstrumenter {

    private static final String COUNTER = Type.getInternalName(CostCounter.class);

    private CostInstrumenter() {}

    static void instrument(ClassNode type) {
        for (MethodNode method : type.methods) {
            if (method.instructions.size() > 0) {
                instrument(method);
            }
        }
    }

    private static void instrument(MethodNode method) {
        Set<LabelNode> targets = jumpTargets(method);
        InsnList code = method.instructions;
        AbstractInsnNode blockStart = null;
        int count = 0;
        for (AbstractInsnNode insn = code.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof LabelNode label && targets.contains(label)) {
                count(code, blockStart, count);
                blockStart = null;
                count = 0;
            }
            if (insn.getOpcode() < 0) {
                continue; // labels, line numbers, frames
            }
            if (blockStart == null) {
                blockStart = insn;
            }
            count++;
            if (endsBlock(insn)) {
                count(code, blockStart, count);
                blockStart = null;
                count = 0;
            }
        }
        count(code, blockStart, count);
        method.maxStack += 1;
    }

    private static void count(InsnList code, AbstractInsnNode blockStart, int instructions) {
        if (blockStart == null || instructions == 0) {
            return;
        }
        InsnList add = new InsnList();
        add.add(push(instructions));
        add.add(new MethodInsnNode(Opcodes.INVOKESTATIC, COUNTER, "add", "(I)V", false));
        if (blockStart.getOpcode() == Opcodes.NEW) {
            // frames may name the NEW's offset for its uninitialized value: keep the NEW there
            code.insert(blockStart, add);
        } else {
            code.insertBefore(blockStart, add);
        }
    }

    private static AbstractInsnNode push(int value) {
        if (value <= 5) {
            return new InsnNode(Opcodes.ICONST_0 + value);
        }
        if (value <= Byte.MAX_VALUE) {
            return new IntInsnNode(Opcodes.BIPUSH, value);
        }
        if (value <= Short.MAX_VALUE) {
            return new IntInsnNode(Opcodes.SIPUSH, value);
        }
        return new LdcInsnNode(value);
    }

    private static boolean endsBlock(AbstractInsnNode insn) {
        int op = insn.getOpcode();
        return insn instanceof JumpInsnNode
                || insn instanceof TableSwitchInsnNode
                || insn instanceof LookupSwitchInsnNode
                || (op >= Opcodes.IRETURN && op <= Opcodes.RETURN)
                || op == Opcodes.ATHROW
                || op == Opcodes.RET;
    }

    private static Set<LabelNode> jumpTargets(MethodNode method) {
        Set<LabelNode> targets = new HashSet<>();
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            switch (insn) {
                case JumpInsnNode jump -> targets.add(jump.label);
                case TableSwitchInsnNode table -> {
                    targets.add(table.dflt);
                    targets.addAll(table.labels);
                }
                case LookupSwitchInsnNode lookup -> {
                    targets.add(lookup.dflt);
                    targets.addAll(lookup.labels);
                }
                default -> { }
            }
        }
        for (TryCatchBlockNode handler : method.tryCatchBlocks) {
            targets.add(handler.handler);
        }
        return targets;
    }
}
