package dev.plugboard.host.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleScannerTest {

    @TempDir
    Path folder;

    private static byte[] jar(String marker) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        Manifest m = new Manifest();
        m.getMainAttributes().putValue("Manifest-Version", "1.0");
        m.getMainAttributes().putValue("Bundle-SymbolicName", "test." + marker);
        try (JarOutputStream out = new JarOutputStream(bytes, m)) {
            out.putNextEntry(new JarEntry("marker.txt"));
            out.write(marker.getBytes());
        }
        return bytes.toByteArray();
    }

    private Path write(String name, byte[] content) throws IOException {
        Path p = folder.resolve(name);
        Files.write(p, content);
        return p;
    }

    @Test
    void aNewJarIsReportedOnceItIsStable() throws IOException {
        BundleScanner scanner = new BundleScanner(folder);
        Path a = write("a.jar", jar("a"));
        assertThat(scanner.scan(false).isEmpty()).isTrue();
        assertThat(scanner.settling()).isTrue();
        assertThat(scanner.scan(false).added()).containsExactly(a);
        assertThat(scanner.settling()).isFalse();
        assertThat(scanner.scan(false).isEmpty()).isTrue();
    }

    @Test
    void jarsPresentAtStartUpAreTrustedOnFirstSight() throws IOException {
        Path a = write("a.jar", jar("a"));
        write("notes.txt", "ignored".getBytes());
        assertThat(new BundleScanner(folder).scan(true).added()).containsExactly(a);
    }

    @Test
    void aHalfWrittenJarIsNeverReported() throws IOException {
        BundleScanner scanner = new BundleScanner(folder);
        byte[] whole = jar("a");
        Path a = write("a.jar", java.util.Arrays.copyOf(whole, whole.length / 2));
        for (int i = 0; i < BundleScanner.UNREADABLE_AFTER_SCANS - 1; i++) {
            assertThat(scanner.scan(false).isEmpty()).isTrue();
        }
        try (OutputStream out = Files.newOutputStream(a)) {
            out.write(whole);
        }
        Files.setLastModifiedTime(a, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertThat(scanner.scan(false).isEmpty()).isTrue();
        assertThat(scanner.scan(false).added()).containsExactly(a);
    }

    @Test
    void aFileThatStaysUnreadableIsReportedOnce() throws IOException {
        BundleScanner scanner = new BundleScanner(folder);
        Path bad = write("bad.jar", "this is not a zip".getBytes());
        BundleScanner.Changes last = null;
        int reports = 0;
        for (int i = 0; i < BundleScanner.UNREADABLE_AFTER_SCANS + 5; i++) {
            last = scanner.scan(false);
            reports += last.unreadable().size();
        }
        assertThat(reports).isEqualTo(1);
        assertThat(last.isEmpty()).isTrue();
        assertThat(scanner.settling()).isFalse();
        assertThat(bad).exists();
    }

    @Test
    void changedContentIsAnUpdateButATouchIsNot() throws IOException {
        BundleScanner scanner = new BundleScanner(folder);
        Path a = write("a.jar", jar("a"));
        scanner.scan(true);
        Files.setLastModifiedTime(a, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        scanner.scan(false);
        assertThat(scanner.scan(false).isEmpty()).isTrue();
        write("a.jar", jar("a-version-2"));
        Files.setLastModifiedTime(a, FileTime.fromMillis(System.currentTimeMillis() + 20_000));
        scanner.scan(false);
        assertThat(scanner.scan(false).updated()).containsExactly(a);
    }

    @Test
    void aDeletedJarIsReportedRemoved() throws IOException {
        BundleScanner scanner = new BundleScanner(folder);
        Path a = write("a.jar", jar("a"));
        scanner.scan(true);
        Files.delete(a);
        assertThat(scanner.scan(false).isEmpty()).as("gone for one scan").isTrue();
        assertThat(scanner.settling()).isTrue();
        assertThat(scanner.scan(false).removed()).containsExactly(a);
        assertThat(scanner.scan(false).isEmpty()).isTrue();
    }

    @Test
    void aJarDeletedBeforeItSettledIsForgotten() throws IOException {
        BundleScanner scanner = new BundleScanner(folder);
        Path a = write("a.jar", jar("a"));
        scanner.scan(false);
        Files.delete(a);
        BundleScanner.Changes c = scanner.scan(false);
        assertThat(c.isEmpty()).isTrue();
        assertThat(scanner.settling()).isFalse();
    }

    @Test
    void hiddenFilesAreIgnored() throws IOException {
        write(".a.jar", jar("a"));
        assertThat(new BundleScanner(folder).scan(true).isEmpty()).isTrue();
    }

    @Test
    void aJarReplacedByDeletingAndCopyingIsAnUpdateNotARemoval() throws IOException {
        BundleScanner scanner = new BundleScanner(folder);
        Path a = write("a.jar", jar("a"));
        scanner.scan(true);
        Files.delete(a);
        assertThat(scanner.scan(false).isEmpty()).isTrue();
        write("a.jar", jar("b"));
        Files.setLastModifiedTime(a, FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() + 5_000));

        assertThat(scanner.scan(false).isEmpty()).as("settling").isTrue();
        BundleScanner.Changes changes = scanner.scan(false);

        assertThat(changes.removed()).isEmpty();
        assertThat(changes.added()).isEmpty();
        assertThat(changes.updated()).containsExactly(a);
    }
}
