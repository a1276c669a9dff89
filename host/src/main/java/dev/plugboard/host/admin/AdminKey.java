package dev.plugboard.host.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The admin API key in {@code <data>/admin.key}: created on first start (32 random bytes,
 * URL-safe Base64, readable and writable by the owner only), read again on later starts. The key
 * itself is never logged; where it is, is.
 */
public final class AdminKey {

    private static final Logger LOG = Logger.getLogger(AdminKey.class.getName());

    /** The key file's name in the data folder. */
    public static final String FILE = "admin.key";

    private AdminKey() {
    }

    /**
     * Reads the key from {@code <dataDir>/admin.key}, creating the file first when it is missing.
     *
     * @return the key (at least 16 characters)
     * @throws IOException when the file cannot be created or read, or holds too short a key
     */
    public static String loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        Files.createDirectories(dataDir);
        if (!Files.exists(file)) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            try {
                create(file, key);
                LOG.info(() -> "Created the admin key in " + file.toAbsolutePath()
                        + " (send it as 'Authorization: Bearer <key>')");
                return key;
            } catch (FileAlreadyExistsException e) {
                LOG.fine("Another process created the admin key first");
            }
        }
        String key = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (key.length() < 16) {
            throw new IOException("the admin key in " + file.toAbsolutePath()
                    + " is shorter than 16 characters; delete the file to have a new one made");
        }
        LOG.info(() -> "Admin key: " + file.toAbsolutePath());
        return key;
    }

    private static void create(Path file, String key) throws IOException {
        Set<PosixFilePermission> ownerOnly = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (posix) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
        if (posix) {
            Files.setPosixFilePermissions(file, ownerOnly);
        }
    }
}
