package dev.plugboard.tests.osgi;

import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The {@code Export-Package} clauses of the jar holding a class, one per package, as the host's system
 * bundle exports them.
 */
final class SystemBundleExports {

    private SystemBundleExports() {
    }

    static List<String> of(Class<?> anchor) throws Exception {
        URL location = anchor.getProtectionDomain().getCodeSource().getLocation();
        Path path = Path.of(location.toURI());
        Manifest manifest;
        if (Files.isDirectory(path)) {
            try (InputStream in = Files.newInputStream(path.resolve("META-INF/MANIFEST.MF"))) {
                manifest = new Manifest(in);
            }
        } else {
            try (JarFile jar = new JarFile(path.toFile())) {
                manifest = jar.getManifest();
            }
        }
        return split(manifest.getMainAttributes().getValue("Export-Package"));
    }

    /** Splits a manifest header at the commas that are outside quotes. */
    static List<String> split(String header) {
        List<String> clauses = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                clauses.add(current.toString().trim());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (!current.isEmpty()) {
            clauses.add(current.toString().trim());
        }
        return clauses;
    }
}
