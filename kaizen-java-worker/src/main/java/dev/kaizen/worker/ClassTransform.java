package dev.kaizen.worker;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;

/**
 * How the worker rewrites the bytecode of every class a candidate loader defines.
 *
 * <p>Class files newer than this ASM version knows are read by presenting the newest version it
 * does know and writing the original version back: the instructions the rewriting touches have not
 * changed between class file versions.
 */
enum ClassTransform {

    /**
     * Exit calls go to {@link ExitTrap}, and every loop iteration checks the {@link Deadline}.
     * Used for running tests, scoring and timing.
     */
    GUARDED {
        @Override
        byte[] apply(byte[] classFile) {
            int version = version(classFile);
            ClassReader reader = new ClassReader(readable(classFile, version));
            ClassWriter writer = new ClassWriter(reader, 0);
            ClassVisitor chain = new LoopGuard(restoreVersion(writer, version));
            reader.accept(ExitRewriter.mayCallExit(classFile) ? new ExitRewriter(chain) : chain, 0);
            return writer.toByteArray();
        }
    },

    /** {@link #GUARDED}, and every basic block adds its size to {@link CostCounter}. */
    COUNTED {
        @Override
        byte[] apply(byte[] classFile) {
            int version = version(classFile);
            ClassNode node = new ClassNode();
            new ClassReader(readable(classFile, version)).accept(node, 0);
            CostInstrumenter.instrument(node);
            ClassWriter writer = new ClassWriter(0);
            node.accept(new ExitRewriter(new LoopGuard(restoreVersion(writer, version))));
            return writer.toByteArray();
        }
    };

    /** The newest class file major version this ASM reads. */
    private static final int NEWEST_KNOWN = Opcodes.V24 & 0xFFFF;

    /** Returns the rewritten class file; the argument is not modified. */
    abstract byte[] apply(byte[] classFile);

    /** The class file's major version. */
    static int version(byte[] classFile) {
        return ((classFile[6] & 0xFF) << 8) | (classFile[7] & 0xFF);
    }

    /** The class file, or a copy claiming the newest version this ASM reads when it is newer. */
    static byte[] readable(byte[] classFile, int major) {
        if (major <= NEWEST_KNOWN) {
            return classFile;
        }
        byte[] copy = classFile.clone();
        copy[6] = (byte) (NEWEST_KNOWN >>> 8);
        copy[7] = (byte) NEWEST_KNOWN;
        return copy;
    }

    private static ClassVisitor restoreVersion(ClassVisitor next, int major) {
        if (major <= NEWEST_KNOWN) {
            return next;
        }
        return new ClassVisitor(Opcodes.ASM9, next) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                super.visit((version & 0xFFFF0000) | major, access, name, signature, superName, interfaces);
            }
        };
    }
}
