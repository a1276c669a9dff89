package dev.plugboard.host.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Logger;
import org.objectweb.asm.ClassReader;

/**
 * The exit-call scans of jars already checked, kept on disk so that a restart does not read every
 * class of every deployed jar again (the router's and the search bundle's embedded libraries took
 * about 0.6 s of CPU at each start, beside the first requests).
 *
 * <p>A record is found by the SHA-256 of the jar's bytes and of the scanner's own class files (and
 * ASM's): a jar changed by one byte, or a host whose scanner finds something new, scans again. The
 * folder is the host's data folder, which only the host's user can write; whoever can write there can
 * also replace the host. A record that cannot be read is ignored and rewritten. A distribution ships
 * the records of the jars it ships, written by the build ({@code scans/} beside {@code lib/}), so that
 * its very first start does not scan them either.
 */
final class ScanRecords {

    private static final Logger LOG = Logger.getLogger(ScanRecords.class.getName());

    /** The records kept; past this many, the least recently used half is deleted. */
    static final int KEPT = 200;

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final Path folder;
    private final Path shipped;
    private final byte[] scanner;

    private ScanRecords(Path folder, Path shipped, byte[] scanner) {
        this.folder = folder;
        this.shipped = shipped;
        this.scanner = scanner;
    }

    /**
     * Records kept in {@code folder} (created when the first is written), and read-only ones in
     * {@code shipped}: the build's scans of the jars a distribution ships (may be null or missing).
     */
    static ScanRecords in(Path folder, Path shipped) {
        return new ScanRecords(folder, shipped, scannerFingerprint());
    }

    /** Records as a scanner of this fingerprint would keep them: a test's stand-in for another version. */
    static ScanRecords in(Path folder, Path shipped, byte[] scanner) {
        return new ScanRecords(folder, shipped, scanner.clone());
    }

    /** The scan of this jar: the record of an identical jar, or a new scan, then recorded. */
    ExitCallScanner.Result scan(Path jar) throws IOException {
        String name = key(jar) + ".json";
        Path record = folder.resolve(name);
        ExitCallScanner.Result known = read(record, true);
        if (known == null && shipped != null) {
            known = read(shipped.resolve(name), false);
        }
        if (known != null) {
            return known;
        }
        ExitCallScanner.Result result = ExitCallScanner.scan(jar);
        write(record, result);
        return result;
    }

    private String key(Path jar) throws IOException {
        MessageDigest digest = sha256();
        digest.update(scanner);
        try (InputStream in = Files.newInputStream(jar)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static ExitCallScanner.Result read(Path record, boolean own) {
        if (!Files.isRegularFile(record)) {
            return null;
        }
        ExitCallScanner.Result result;
        try {
            result = JSON.readValue(record.toFile(), ExitCallScanner.Result.class);
        } catch (IOException | RuntimeException e) {
            LOG.fine(() -> "Scanning again: the record " + record + " cannot be read: " + e.getMessage());
            return null;
        }
        if (own) {
            try {
                Files.setLastModifiedTime(record, FileTime.fromMillis(System.currentTimeMillis()));
            } catch (IOException e) {
                LOG.fine(() -> "The record " + record + " is used but not marked as recently used: " + e.getMessage());
            }
        }
        return result;
    }

    private void write(Path record, ExitCallScanner.Result result) {
        try {
            Files.createDirectories(folder);
            Path partial = Files.createTempFile(folder, "scan-", ".part");
            try {
                JSON.writeValue(partial.toFile(), result);
                Files.move(partial, record, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(partial);
            }
            prune();
        } catch (IOException | RuntimeException e) {
            LOG.fine(() -> "The scan of " + record.getFileName() + " is not kept: " + e.getMessage());
        }
    }

    /** Keeps the folder small: past {@link #KEPT} records, the least recently used half goes. */
    private void prune() throws IOException {
        List<Path> records = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(folder, "*.json")) {
            all.forEach(records::add);
        }
        if (records.size() <= KEPT) {
            return;
        }
        records.sort(Comparator.comparing(ScanRecords::lastUsed));
        for (Path old : records.subList(0, records.size() - KEPT / 2)) {
            Files.deleteIfExists(old);
        }
    }

    private static FileTime lastUsed(Path record) {
        try {
            return Files.getLastModifiedTime(record);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /**
     * The scanner's class files and ASM's class reader: what decides what a scan finds (a newer ASM
     * may read a class file an older one could not).
     */
    private static byte[] scannerFingerprint() {
        MessageDigest digest = sha256();
        for (Class<?> type : List.of(ExitCallScanner.class, ExitCallScanner.CallFinder.class,
                ExitCallScanner.ExitCall.class, ExitCallScanner.Result.class, ClassReader.class)) {
            digest.update(classFile(type));
        }
        return digest.digest();
    }

    private static byte[] classFile(Class<?> type) {
        String name = type.getName();
        try (InputStream in = type.getResourceAsStream(name.substring(name.lastIndexOf('.') + 1) + ".class")) {
            if (in == null) {
                throw new IllegalStateException("the class file of " + name + " is not readable");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("the class file of " + name + " is not readable", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
