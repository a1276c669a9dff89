package dev.plugboard.host.framework;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The packages the host shares with bundles through the system bundle: the plugin API and the
 * OSGi service APIs the host itself calls (Declarative Services runtime, promises), and the libraries
 * plugins may use without embedding them: Jackson (core, databind, annotations, the JDK 8 and
 * java.time modules) and the SLF4J API, whose log records go where the host's own go. Each package is
 * exported at the version its own jar declares, so bundles wire to the host's classes and the
 * semantic versions stay those of the jars.
 */
final class SystemPackages {

    private SystemPackages() {
    }

    /** The {@code Export-Package} clauses of the jars (or class folders) holding the given classes. */
    static String exportsOf(List<Class<?>> anchors) {
        List<String> clauses = new ArrayList<>();
        for (Class<?> anchor : anchors) {
            String exports = manifestOf(anchor).getMainAttributes().getValue("Export-Package");
            if (exports == null) {
                throw new IllegalStateException("the jar of " + anchor.getName() + " exports no packages");
            }
            clauses.add(exports);
        }
        return String.join(",", clauses);
    }

    private static Manifest manifestOf(Class<?> anchor) {
        try {
            Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) {
                try (InputStream in = Files.newInputStream(location.resolve("META-INF/MANIFEST.MF"))) {
                    return new Manifest(in);
                }
            }
            try (JarFile jar = new JarFile(location.toFile())) {
                Manifest m = jar.getManifest();
                if (m == null) {
                    throw new IllegalStateException(location + " has no manifest");
                }
                return m;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manifest of the jar holding " + anchor.getName(), e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
