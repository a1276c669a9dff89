package dev.plugboard.host.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Finds the code in a bundle that would end the host's process: calls of {@code System.exit},
 * {@code Runtime.exit} and {@code Runtime.halt}, as invoke instructions or as method-handle constants
 * (method references, {@code ldc} of a handle, bootstrap arguments). Reads every class of the jar and
 * of the jars it embeds through {@code Bundle-ClassPath}; runs nothing. Pure and thread-safe.
 *
 * <p>Reflection ({@code Method.invoke} of a name built at run time) is not found this way; see the
 * trust model in {@code docs/containment.md}.
 */
final class ExitCallScanner {

    /** The most findings one scan reports. */
    private static final int MAX_FINDINGS = 20;

    /**
     * One place that would end the process.
     *
     * @param className the calling class, dotted ({@code com.example.Bad})
     * @param method the calling method's name ({@code run}, {@code <clinit>}, {@code lambda$main$0})
     * @param target what it calls ({@code System.exit}, {@code Runtime.halt})
     * @param where the embedded jar holding the class, or null for the bundle's own classes
     * @param handle whether it names the target in a method-handle constant rather than invoking it
     */
    record ExitCall(String className, String method, String target, String where, boolean handle) {

        /** {@code com.example.Bad.run() calls System.exit}, with the embedded jar when there is one. */
        String describe() {
            return className + "." + method + "() calls " + target + (where == null ? "" : " (in " + where + ")");
        }

        /**
         * Whether the bundle is refused for it: any call in its own classes, and handles anywhere.
         * An invoke in an embedded library (a command-line entry point, typically) is rewritten to
         * throw when its class loads instead.
         */
        boolean refused() {
            return where == null || handle;
        }
    }

    /**
     * What a scan found.
     *
     * @param calls the exit calls found (at most {@value #MAX_FINDINGS} of each kind: refused and rewritten)
     * @param unreadable class files that could not be parsed, by entry name
     */
    record Result(List<ExitCall> calls, List<String> unreadable) {

        Result {
            calls = List.copyOf(calls);
            unreadable = List.copyOf(unreadable);
        }

        /** Whether the bundle may be deployed. */
        boolean clean() {
            return refusal() == null;
        }

        /**
         * Why the bundle is refused, e.g. {@code refused: com.example.Bad.run() calls System.exit;
         * bundles may not end the host}; null when it may be deployed.
         */
        String refusal() {
            List<ExitCall> refused = calls.stream().filter(ExitCall::refused).toList();
            if (!refused.isEmpty()) {
                List<String> shown = refused.stream().limit(3).map(ExitCall::describe).toList();
                String more = refused.size() > shown.size() ? " (and " + (refused.size() - shown.size()) + " more)" : "";
                return "refused: " + String.join(", ", shown) + more + "; bundles may not end the host";
            }
            if (!unreadable.isEmpty()) {
                return "refused: class file " + unreadable.get(0) + " cannot be read, so it cannot be checked";
            }
            return null;
        }

        /** The exit calls in embedded libraries that will throw instead when their classes load. */
        List<ExitCall> rewritten() {
            return calls.stream().filter(c -> !c.refused()).toList();
        }
    }

    private ExitCallScanner() {
    }

    /** Scans a bundle jar. */
    static Result scan(Path jar) throws IOException {
        List<ExitCall> calls = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Set<String> embedded = embeddedJars(file.getManifest());
            for (JarEntry entry : java.util.Collections.list(file.entries())) {
                String name = entry.getName();
                if (entry.isDirectory()) {
                    continue;
                }
                if (name.endsWith(".class")) {
                    try (InputStream in = file.getInputStream(entry)) {
                        if (!scanClass(in.readAllBytes(), null, calls)) {
                            unreadable.add(name);
                        }
                    }
                } else if (embedded.contains(name)) {
                    try (InputStream in = file.getInputStream(entry)) {
                        scanEmbedded(in, name, calls, unreadable);
                    }
                }
            }
        }
        return new Result(calls, unreadable);
    }

    /** Scans every class of a jar embedded in the bundle (the framework does not nest further). */
    private static void scanEmbedded(InputStream in, String where, List<ExitCall> calls, List<String> unreadable)
            throws IOException {
        JarInputStream jar = new JarInputStream(in, false);
        for (JarEntry entry = jar.getNextJarEntry(); entry != null;
                entry = jar.getNextJarEntry()) {
            if (!entry.isDirectory() && entry.getName().endsWith(".class")
                    && !scanClass(jar.readAllBytes(), where, calls)) {
                unreadable.add(where + "!/" + entry.getName());
            }
        }
    }

    /** The entries that {@code Bundle-ClassPath} names, without the bundle itself ({@code .}). */
    private static Set<String> embeddedJars(Manifest manifest) {
        Set<String> out = new LinkedHashSet<>();
        if (manifest == null) {
            return out;
        }
        String classPath = manifest.getMainAttributes().getValue(new Attributes.Name("Bundle-ClassPath"));
        if (classPath == null) {
            return out;
        }
        for (String clause : classPath.split(",")) {
            String path = clause.split(";")[0].trim();
            if (path.startsWith("/")) {
                path = path.substring(1);
            }
            if (!path.isEmpty() && !path.equals(".")) {
                out.add(path);
            }
        }
        return out;
    }

    /** Scans one class file; false when it cannot be parsed. */
    private static boolean scanClass(byte[] bytes, String where, List<ExitCall> calls) {
        try {
            ClassReader reader = new ClassReader(bytes);
            String className = reader.getClassName().replace('/', '.');
            reader.accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                        String[] exceptions) {
                    return new CallFinder(className, name, where, calls);
                }
            }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            return true;
        } catch (RuntimeException e) {
            // ASM reports a malformed class file with unchecked exceptions of several kinds
            return false;
        }
    }

    /** The process-ending target a method reference names, or null. */
    static String exitTarget(String owner, String name, String descriptor) {
        if (owner.equals("java/lang/System") && name.equals("exit") && descriptor.equals("(I)V")) {
            return "System.exit";
        }
        if (owner.equals("java/lang/Runtime") && descriptor.equals("(I)V")
                && (name.equals("exit") || name.equals("halt"))) {
            return "Runtime." + name;
        }
        return null;
    }

    /** The process-ending target a constant (a method handle, or a dynamic constant built from one) names, or null. */
    static String constantTarget(Object value) {
        if (value instanceof Handle h) {
            return exitTarget(h.getOwner(), h.getName(), h.getDesc());
        }
        if (value instanceof ConstantDynamic c) {
            String target = constantTarget(c.getBootstrapMethod());
            for (int i = 0; target == null && i < c.getBootstrapMethodArgumentCount(); i++) {
                target = constantTarget(c.getBootstrapMethodArgument(i));
            }
            return target;
        }
        return null;
    }

    /** Records the exit calls of one method. */
    static final class CallFinder extends MethodVisitor {

        private final String className;
        private final String method;
        private final String where;
        private final List<ExitCall> calls;

        CallFinder(String className, String method, String where, List<ExitCall> calls) {
            super(Opcodes.ASM9);
            this.className = className;
            this.method = method;
            this.where = where;
            this.calls = calls;
        }

        private void found(String target, boolean handle) {
            ExitCall call = new ExitCall(className, method, target, where, handle);
            if (target != null && calls.stream().filter(c -> c.refused() == call.refused()).count() < MAX_FINDINGS) {
                if (!calls.contains(call)) {
                    calls.add(call);
                }
            }
        }

        private void constant(Object value) {
            found(constantTarget(value), true);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            found(exitTarget(owner, name, descriptor), false);
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
            constant(bootstrap);
            for (Object argument : arguments) {
                constant(argument);
            }
        }

        @Override
        public void visitLdcInsn(Object value) {
            constant(value);
        }
    }
}
