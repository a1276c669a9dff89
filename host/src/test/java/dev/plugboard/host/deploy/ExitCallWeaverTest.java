package dev.plugboard.host.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.osgi.framework.hooks.weaving.WeavingException;

class ExitCallWeaverTest {

    /** A class {@code gen.Quitter} whose static methods end the process, each in its own way. */
    private static byte[] quitter(boolean withHandle) {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        w.visit(Opcodes.V21, Opcodes.ACC_PUBLIC, "gen/Quitter", null, "java/lang/Object", null);
        MethodVisitor exit = w.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "exit", "()Ljava/lang/String;", null,
                null);
        exit.visitCode();
        exit.visitLdcInsn(7);
        exit.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/System", "exit", "(I)V", false);
        exit.visitLdcInsn("still running");
        exit.visitInsn(Opcodes.ARETURN);
        exit.visitMaxs(0, 0);
        exit.visitEnd();
        MethodVisitor halt = w.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "halt", "()V", null, null);
        halt.visitCode();
        halt.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Runtime", "getRuntime", "()Ljava/lang/Runtime;", false);
        halt.visitInsn(Opcodes.ICONST_1);
        halt.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/Runtime", "halt", "(I)V", false);
        halt.visitInsn(Opcodes.RETURN);
        halt.visitMaxs(0, 0);
        halt.visitEnd();
        if (withHandle) {
            MethodVisitor handle = w.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "handle",
                    "()Ljava/lang/invoke/MethodHandle;", null, null);
            handle.visitCode();
            handle.visitLdcInsn(new Handle(Opcodes.H_INVOKESTATIC, "java/lang/System", "exit", "(I)V", false));
            handle.visitInsn(Opcodes.ARETURN);
            handle.visitMaxs(0, 0);
            handle.visitEnd();
        }
        w.visitEnd();
        return w.toByteArray();
    }

    private static Class<?> define(byte[] classFile) {
        return new ClassLoader(ExitCallWeaverTest.class.getClassLoader()) {
            Class<?> load() {
                return defineClass("gen.Quitter", classFile, 0, classFile.length);
            }
        }.load();
    }

    private static Throwable thrownBy(Method method) {
        try {
            method.invoke(null);
            return null;
        } catch (InvocationTargetException e) {
            return e.getCause();
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void exitCallsThrowInsteadOnceRewritten() throws Exception {
        byte[] rewritten = ExitCallWeaver.rewrite(quitter(false));

        Class<?> type = define(rewritten);

        assertThat(thrownBy(type.getMethod("exit"))).isInstanceOf(NullPointerException.class)
                .hasMessage(ExitCallWeaver.MESSAGE);
        assertThat(thrownBy(type.getMethod("halt"))).isInstanceOf(NullPointerException.class)
                .hasMessage(ExitCallWeaver.MESSAGE);
    }

    @Test
    void aClassWithoutExitCallsIsLeftAsItIs() throws Exception {
        ClassWriter w = new ClassWriter(0);
        w.visit(Opcodes.V21, Opcodes.ACC_PUBLIC, "gen/Plain", null, "java/lang/Object", null);
        w.visitEnd();

        assertThat(ExitCallWeaver.rewrite(w.toByteArray())).isNull();
    }

    @Test
    void aHandleToAnExitMethodMakesTheClassFailToLoad() {
        assertThatThrownBy(() -> ExitCallWeaver.rewrite(quitter(true))).isInstanceOf(WeavingException.class)
                .hasMessageContaining("gen.Quitter").hasMessageContaining("bundles may not end the host");
    }
}
