package dev.plugboard.host.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

class ExitCallScannerTest {

    @TempDir
    Path folder;

    /** Never run: only its class file is scanned. */
    static final class Exits {
        void run() {
            System.exit(3);
        }
    }

    /** Never run: ends the process through the runtime, in a lambda and a static initialiser. */
    static final class RuntimeCalls {
        static {
            if (Boolean.getBoolean("never.set")) {
                Runtime.getRuntime().exit(1);
            }
        }

        Runnable later() {
            return () -> Runtime.getRuntime().exit(2);
        }
    }

    /** Never run: a method reference to halt, which compiles to a handle constant, not an invoke. */
    static final class HaltReference {
        IntConsumer halt() {
            return Runtime.getRuntime()::halt;
        }
    }

    /** Harmless: exits only its own loop, and names "exit" in ways that do not end anything. */
    static final class Harmless {
        int exit(int code) {
            return code;
        }

        String names() {
            return "System.exit" + exit(1);
        }
    }

    static byte[] classBytes(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getName().substring(type.getName().lastIndexOf('.') + 1)
                + ".class")) {
            return in.readAllBytes();
        }
    }

    static String entry(Class<?> type) {
        return type.getName().replace('.', '/') + ".class";
    }

    static byte[] jar(Map<String, byte[]> entries, String bundleClassPath) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().putValue("Manifest-Version", "1.0");
        m.getMainAttributes().putValue("Bundle-SymbolicName", "test.scanned");
        if (bundleClassPath != null) {
            m.getMainAttributes().putValue("Bundle-ClassPath", bundleClassPath);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, m)) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue());
            }
        }
        return bytes.toByteArray();
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(folder.resolve(name), content);
    }

    /** A class whose method loads a handle to System.exit with ldc, which javac never writes. */
    private static byte[] ldcOfExitHandle() {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        w.visit(Opcodes.V21, Opcodes.ACC_PUBLIC, "gen/Loader", null, "java/lang/Object", null);
        MethodVisitor m = w.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "handle",
                "()Ljava/lang/invoke/MethodHandle;", null, null);
        m.visitCode();
        m.visitLdcInsn(new Handle(Opcodes.H_INVOKESTATIC, "java/lang/System", "exit", "(I)V", false));
        m.visitInsn(Opcodes.ARETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        w.visitEnd();
        return w.toByteArray();
    }

    @Test
    void aDirectCallOfSystemExitIsNamedWithItsClassAndMethod() throws IOException {
        Path jar = write("a.jar", jar(Map.of(entry(Exits.class), classBytes(Exits.class)), null));

        ExitCallScanner.Result result = ExitCallScanner.scan(jar);

        assertThat(result.clean()).isFalse();
        assertThat(result.calls()).extracting(ExitCallScanner.ExitCall::describe)
                .containsExactly(Exits.class.getName() + ".run() calls System.exit");
        assertThat(result.refusal()).isEqualTo("refused: " + Exits.class.getName()
                + ".run() calls System.exit; bundles may not end the host");
    }

    @Test
    void runtimeExitInAStaticInitialiserAndALambdaIsFound() throws IOException {
        Path jar = write("a.jar", jar(Map.of(entry(RuntimeCalls.class), classBytes(RuntimeCalls.class)), null));

        assertThat(ExitCallScanner.scan(jar).calls())
                .extracting(ExitCallScanner.ExitCall::method, ExitCallScanner.ExitCall::target)
                .contains(org.assertj.core.groups.Tuple.tuple("<clinit>", "Runtime.exit"))
                .anySatisfy(t -> assertThat(t.toList()).containsExactly("lambda$later$0", "Runtime.exit"));
    }

    @Test
    void aMethodReferenceToHaltIsFoundThoughNothingInvokesIt() throws IOException {
        Path jar = write("a.jar", jar(Map.of(entry(HaltReference.class), classBytes(HaltReference.class)), null));

        assertThat(ExitCallScanner.scan(jar).calls()).extracting(ExitCallScanner.ExitCall::describe)
                .containsExactly(HaltReference.class.getName() + ".halt() calls Runtime.halt");
    }

    @Test
    void anLdcOfAnExitHandleIsFound() throws IOException {
        Path jar = write("a.jar", jar(Map.of("gen/Loader.class", ldcOfExitHandle()), null));

        assertThat(ExitCallScanner.scan(jar).calls()).extracting(ExitCallScanner.ExitCall::describe)
                .containsExactly("gen.Loader.handle() calls System.exit");
    }

    @Test
    void anExitCallInAnEmbeddedLibraryIsFoundButLeftToTheWeaver() throws IOException {
        byte[] inner = jar(Map.of(entry(Exits.class), classBytes(Exits.class)), null);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(entry(Harmless.class), classBytes(Harmless.class));
        entries.put("lib/inner.jar", inner);
        Path jar = write("a.jar", jar(entries, ".,lib/inner.jar"));

        ExitCallScanner.Result result = ExitCallScanner.scan(jar);

        assertThat(result.rewritten()).extracting(ExitCallScanner.ExitCall::describe)
                .containsExactly(Exits.class.getName() + ".run() calls System.exit (in lib/inner.jar)");
        assertThat(result.clean()).as("a library's command-line exit is rewritten, not refused").isTrue();
    }

    @Test
    void aHandleToAnExitMethodInAnEmbeddedLibraryIsRefused() throws IOException {
        byte[] inner = jar(Map.of(entry(HaltReference.class), classBytes(HaltReference.class)), null);
        Path jar = write("a.jar", jar(Map.of("lib/inner.jar", inner), "lib/inner.jar"));

        assertThat(ExitCallScanner.scan(jar).refusal()).isEqualTo("refused: " + HaltReference.class.getName()
                + ".halt() calls Runtime.halt (in lib/inner.jar); bundles may not end the host");
    }

    @Test
    void aJarThatIsNotOnTheBundleClassPathIsNotLoadedSoNotScanned() throws IOException {
        byte[] inner = jar(Map.of(entry(HaltReference.class), classBytes(HaltReference.class)), null);
        Path jar = write("a.jar", jar(Map.of("docs/example.jar", inner), null));

        assertThat(ExitCallScanner.scan(jar).calls()).isEmpty();
    }

    @Test
    void aHarmlessBundleIsClean() throws IOException {
        Path jar = write("a.jar", jar(Map.of(entry(Harmless.class), classBytes(Harmless.class)), null));

        ExitCallScanner.Result result = ExitCallScanner.scan(jar);

        assertThat(result.clean()).isTrue();
        assertThat(result.refusal()).isNull();
    }

    @Test
    void aClassFileThatCannotBeParsedIsRefusedRatherThanTrusted() throws IOException {
        Path jar = write("a.jar", jar(Map.of("bad/Broken.class", new byte[] {(byte) 0xCA, (byte) 0xFE, 1, 2}), null));

        ExitCallScanner.Result result = ExitCallScanner.scan(jar);

        assertThat(result.clean()).isFalse();
        assertThat(result.refusal()).contains("bad/Broken.class").contains("cannot be read");
    }
}
