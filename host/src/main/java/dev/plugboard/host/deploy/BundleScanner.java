package dev.plugboard.host.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipFile;

/**
 * Finds the jars added to, changed in and removed from a folder, reporting a file only once it is
 * complete: its size and modification time are the same in two consecutive scans, it opens as a
 * zip archive, and its checksum differs from what was last reported. A file still being written is
 * therefore never reported; one that stays unreadable is reported once as such.
 *
 * <p>Pure: it only reads the folder. Not thread-safe; one thread scans.
 */
public final class BundleScanner {

    /** How many scans an unreadable but unchanging file waits before it is reported as unreadable. */
    static final int UNREADABLE_AFTER_SCANS = 10;

    /**
     * What one scan found.
     *
     * @param added complete jars seen for the first time
     * @param updated complete jars whose content changed
     * @param removed jars that are gone
     * @param unreadable files that stopped changing but are not readable jars
     */
    public record Changes(List<Path> added, List<Path> updated, List<Path> removed, List<Path> unreadable) {

        /** Whether nothing changed. */
        public boolean isEmpty() {
            return added.isEmpty() && updated.isEmpty() && removed.isEmpty() && unreadable.isEmpty();
        }
    }

    private record Observation(long size, long modified) {
    }

    private record Reported(Observation observation, long checksum) {
    }

    private record Pending(Observation observation, int stableScans) {
    }

    private final Path folder;
    private final Map<Path, Reported> reported = new HashMap<>();
    private final Map<Path, Pending> pending = new HashMap<>();
    private final Map<Path, Observation> unreadable = new HashMap<>();
    private final Set<Path> missing = new HashSet<>();

    /**
     * @param folder the folder to watch (not recursive); it is created when missing
     */
    public BundleScanner(Path folder) {
        this.folder = folder;
    }

    /** Whether some file was seen changing and a scan should follow soon. */
    public boolean settling() {
        return !pending.isEmpty() || !missing.isEmpty();
    }

    /**
     * Scans the folder.
     *
     * @param trustFirstSight report a complete jar on its first sighting, without waiting for a
     *     second scan (for the files already present at start-up)
     */
    public Changes scan(boolean trustFirstSight) {
        List<Path> added = new ArrayList<>();
        List<Path> updated = new ArrayList<>();
        List<Path> broken = new ArrayList<>();
        Set<Path> present = new HashSet<>();
        for (Path file : jars()) {
            Observation now = observe(file);
            if (now == null) {
                continue;
            }
            present.add(file);
            Reported known = reported.get(file);
            if ((known != null && known.observation().equals(now)) || now.equals(unreadable.get(file))) {
                pending.remove(file);
                continue;
            }
            Pending before = pending.get(file);
            boolean stable = before != null && before.observation().equals(now);
            if (!stable && !(trustFirstSight && before == null)) {
                pending.put(file, new Pending(now, 0));
                continue;
            }
            if (!readableJar(file)) {
                int scans = stable ? before.stableScans() + 1 : 0;
                if (scans >= UNREADABLE_AFTER_SCANS) {
                    pending.remove(file);
                    unreadable.put(file, now);
                    broken.add(file);
                } else {
                    pending.put(file, new Pending(now, scans));
                }
                continue;
            }
            pending.remove(file);
            unreadable.remove(file);
            long checksum = checksum(file);
            if (known == null) {
                added.add(file);
            } else if (known.checksum() != checksum) {
                updated.add(file);
            }
            reported.put(file, new Reported(now, checksum));
        }
        List<Path> removed = new ArrayList<>();
        for (Path file : List.copyOf(reported.keySet())) {
            if (present.contains(file)) {
                missing.remove(file);
            } else if (missing.remove(file)) {
                reported.remove(file);
                removed.add(file);
            } else {
                // gone for one scan only, perhaps: a copy that replaces a jar deletes it first
                missing.add(file);
            }
        }
        pending.keySet().retainAll(present);
        unreadable.keySet().retainAll(present);
        return new Changes(sorted(added), sorted(updated), sorted(removed), sorted(broken));
    }

    private List<Path> jars() {
        List<Path> out = new ArrayList<>();
        try {
            Files.createDirectories(folder);
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, "*.jar")) {
                for (Path p : stream) {
                    if (!p.getFileName().toString().startsWith(".")) {
                        out.add(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
        return out;
    }

    private static Observation observe(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.isRegularFile() ? new Observation(a.size(), a.lastModifiedTime().toMillis()) : null;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the attributes of " + file, e);
        }
    }

    private static boolean readableJar(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.size() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static long checksum(Path file) {
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0;) {
                crc.update(buffer, 0, n);
            }
        } catch (IOException e) {
            return -1;
        }
        return crc.getValue();
    }

    private static List<Path> sorted(List<Path> paths) {
        paths.sort(null);
        return List.copyOf(paths);
    }
}
