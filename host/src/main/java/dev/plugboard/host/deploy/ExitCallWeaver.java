package dev.plugboard.host.deploy;

import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.osgi.framework.Bundle;
import org.osgi.framework.hooks.weaving.WeavingException;
import org.osgi.framework.hooks.weaving.WeavingHook;
import org.osgi.framework.hooks.weaving.WovenClass;

/**
 * The second line behind the deploy-time check: a framework weaving hook that sees each class a
 * bundle defines before it is loaded and rewrites calls of {@code System.exit}, {@code Runtime.exit}
 * and {@code Runtime.halt} to throw instead. It covers the libraries a checked bundle embeds (their
 * command-line entry points, which the check lets through) and bundles installed some other way. A
 * class that names one of them in a method-handle constant cannot be rewritten that simply and is
 * refused (its loading fails).
 *
 * <p>The rewritten call consumes the same operands and throws a {@link NullPointerException} through
 * {@code Objects.requireNonNull}: no control flow changes, so the class's stack map frames stay valid.
 */
final class ExitCallWeaver implements WeavingHook {

    private static final Logger LOG = Logger.getLogger(ExitCallWeaver.class.getName());
    static final String MESSAGE = "plugins may not end the host: this call was removed when the class was loaded";

    private static final byte[] EXIT = "exit".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HALT = "halt".getBytes(StandardCharsets.US_ASCII);

    @Override
    public void weave(WovenClass woven) {
        Bundle bundle = woven.getBundleWiring().getBundle();
        byte[] bytes = woven.getBytes();
        // a class that names neither method has neither in its constant pool: most classes stop here
        if (bundle.getBundleId() == 0 || !(contains(bytes, EXIT) || contains(bytes, HALT))) {
            return;
        }
        byte[] rewritten;
        try {
            rewritten = rewrite(bytes);
        } catch (WeavingException e) {
            throw e;
        } catch (RuntimeException e) {
            // a class file ASM cannot read: the framework's own definition of it will fail or succeed as it may
            LOG.fine(() -> "Class " + woven.getClassName() + " of " + bundle.getSymbolicName() + " was not woven: " + e);
            return;
        }
        if (rewritten != null) {
            woven.setBytes(rewritten);
            LOG.warning(() -> "Class " + woven.getClassName() + " of " + bundle.getSymbolicName()
                    + " calls System.exit, Runtime.exit or Runtime.halt; the calls now throw instead");
        }
    }

    private static boolean contains(byte[] bytes, byte[] word) {
        outer:
        for (int i = 0; i <= bytes.length - word.length; i++) {
            for (int j = 0; j < word.length; j++) {
                if (bytes[i + j] != word[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * Rewrites a class file's exit calls to throw.
     *
     * @return the new class file, or null when it has none
     * @throws WeavingException when the class names an exit method in a method-handle constant
     */
    static byte[] rewrite(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        boolean[] calls = {false};
        boolean[] handles = {false};
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                        calls[0] |= ExitCallScanner.exitTarget(owner, method, desc) != null;
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String method, String desc, Handle bootstrap, Object... args) {
                        handles[0] |= ExitCallScanner.constantTarget(bootstrap) != null;
                        for (Object a : args) {
                            handles[0] |= ExitCallScanner.constantTarget(a) != null;
                        }
                    }

                    @Override
                    public void visitLdcInsn(Object value) {
                        handles[0] |= ExitCallScanner.constantTarget(value) != null;
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        if (handles[0]) {
            throw new WeavingException("refused: " + reader.getClassName().replace('/', '.')
                    + " refers to an exit method through a method handle; bundles may not end the host");
        }
        if (!calls[0]) {
            return null;
        }
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                return new Replacer(super.visitMethod(access, name, descriptor, signature, exceptions));
            }
        }, 0);
        return writer.toByteArray();
    }

    private static final class Replacer extends MethodVisitor {

        Replacer(MethodVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            if (ExitCallScanner.exitTarget(owner, name, descriptor) == null) {
                super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
                return;
            }
            super.visitInsn(Opcodes.POP); // the status code
            if (opcode != Opcodes.INVOKESTATIC) {
                super.visitInsn(Opcodes.POP); // the Runtime
            }
            super.visitInsn(Opcodes.ACONST_NULL);
            super.visitLdcInsn(MESSAGE);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, "java/util/Objects", "requireNonNull",
                    "(Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/Object;", false);
            super.visitInsn(Opcodes.POP);
        }
    }
}
