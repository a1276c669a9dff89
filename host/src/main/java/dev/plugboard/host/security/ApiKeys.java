package dev.plugboard.host.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The API keys of {@code <data>/api-keys.json}: only each key's SHA-256 digest is stored (the file
 * readable and writable by the owner only), the key itself is shown once when it is made. A lookup
 * digests the presented key once and finds it in a hash map: no key derivation per request (keys are
 * 32 random bytes, so a plain digest is as strong as the key). The file is read again when another
 * process (the CLI, offline) changes it, so a running server sees a new or revoked key within
 * {@value #RECHECK_MILLIS} ms. Thread-safe.
 */
public final class ApiKeys {

    private static final Logger LOG = Logger.getLogger(ApiKeys.class.getName());

    /** The file's name in the data folder. */
    public static final String FILE = "api-keys.json";
    /** What every key starts with, so that a key is told from a JWT at a glance. */
    public static final String PREFIX = "pbk_";
    static final long RECHECK_MILLIS = 200;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    /** What a key's id looks like; a name of this shape would read as another key's id. */
    private static final Pattern ID_SHAPE = Pattern.compile("[0-9a-f]{12}");
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);
    private static final MessageDigest SHA256_PROTOTYPE = sha256();
    /** Reused by the platform threads (the network threads check most keys); a virtual thread clones the prototype. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(ApiKeys::sha256);

    /**
     * A stored key (never the key itself).
     *
     * @param id a short public id, part of the key ({@code pbk_<id>_...})
     * @param name who or what it is for; unique
     * @param roles its roles
     * @param tools the tool globs it is restricted to ({@code *} for its roles' tools)
     * @param created when it was made
     * @param expires when it stops working, or null for never
     * @param digest the SHA-256 digest of the key, hex
     */
    public record Key(String id, String name, List<String> roles, List<String> tools, Instant created, Instant expires,
            String digest) {

        /** Copies the lists. */
        public Key {
            roles = List.copyOf(roles);
            tools = List.copyOf(tools);
        }

        /**
         * The digest's hash: the digest alone tells keys apart, and a lookup by key (once per request)
         * then costs no walk over the lists and instants.
         */
        @Override
        public int hashCode() {
            return digest.hashCode();
        }

        /** Whether it has expired at a time. */
        public boolean expiredAt(Instant now) {
            return expires != null && !now.isBefore(expires);
        }
    }

    /**
     * A key just made.
     *
     * @param key what is stored
     * @param secret the key itself, to be shown once
     */
    public record Created(Key key, String secret) {
    }

    private final Path file;
    private final ObjectMapper json;
    private final SecureRandom random = new SecureRandom();
    private volatile Map<String, Key> byDigest = Map.of();
    private volatile List<Key> keys = List.of();
    private volatile FileTime seenTime;
    private volatile long seenSize = -1;
    private volatile long nextCheck;
    private volatile Set<String> revokedElsewhere = Set.of();
    private volatile java.util.function.Consumer<Set<String>> onRevoked = d -> { };

    /**
     * Opens the key file of a data folder (it need not exist yet).
     *
     * @throws UncheckedIOException when the file exists but cannot be read or is not a key file
     */
    public ApiKeys(Path dataDir, ObjectMapper json) {
        this.file = dataDir.resolve(FILE);
        this.json = json;
        reload();
    }

    /** The file the keys are kept in. */
    public Path file() {
        return file;
    }

    /** The key a presented secret is, if any (expired keys included; the caller checks expiry). */
    public Optional<Key> find(String secret) {
        long now = System.currentTimeMillis();
        if (now >= nextCheck) {
            nextCheck = now + RECHECK_MILLIS;
            reloadIfChanged();
        }
        String digest = digest(secret);
        return revokedElsewhere.contains(digest) ? Optional.empty() : Optional.ofNullable(byDigest.get(digest));
    }

    /**
     * Shares revocations with other nodes: the digests of keys that leave the file (revoked here, or
     * by the CLI; not when the file is deleted or has no list of keys) are told to {@code revoked};
     * the digests of {@link #revokedElsewhere} are refused even if the file still holds them.
     */
    public void onRevoked(java.util.function.Consumer<Set<String>> revoked) {
        this.onRevoked = revoked;
    }

    /** Keys revoked on other nodes (their digests): refused from now on. */
    public synchronized void revokedElsewhere(Set<String> digests) {
        Set<String> all = new java.util.HashSet<>(revokedElsewhere);
        all.addAll(digests);
        revokedElsewhere = Set.copyOf(all);
    }

    /** Every stored key, oldest first. */
    public List<Key> list() {
        reloadIfChanged();
        Set<String> elsewhere = revokedElsewhere;
        return elsewhere.isEmpty() ? keys : keys.stream().filter(k -> !elsewhere.contains(k.digest())).toList();
    }

    /**
     * Makes a key.
     *
     * @param name unique, letters, digits, {@code . _ @ -}
     * @param roles at least one
     * @param tools tool globs the key is restricted to; empty for its roles' tools
     * @param expires when it stops working, or null
     * @throws IllegalArgumentException for a bad or taken name, no role, a blank glob, a past expiry
     */
    public synchronized Created add(String name, List<String> roles, List<String> tools, Instant expires) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a key's name is 1 to 64 letters, digits, '.', '_', '@' or '-'");
        }
        if (ID_SHAPE.matcher(name).matches()) {
            throw new IllegalArgumentException("a key's name cannot be 12 hexadecimal digits: that is how key ids"
                    + " look, and revoking by it would be ambiguous");
        }
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("a key needs a role (--role admin|operator|user|<custom>)");
        }
        new Globs(tools);
        if (expires != null && !expires.isAfter(Instant.now())) {
            throw new IllegalArgumentException("the expiry must be in the future");
        }
        reload();
        if (keys.stream().anyMatch(k -> k.name().equals(name))) {
            throw new IllegalArgumentException("a key named '" + name + "' exists already; revoke it first");
        }
        byte[] idBytes = new byte[6];
        byte[] secretBytes = new byte[32];
        random.nextBytes(idBytes);
        random.nextBytes(secretBytes);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String id = HexFormat.of().formatHex(idBytes);
        String secret = PREFIX + id + "_" + b64.encodeToString(secretBytes);
        Key key = new Key(id, name, roles, tools.isEmpty() ? List.of("*") : tools, Instant.now(), expires,
                digest(secret));
        List<Key> next = new ArrayList<>(keys);
        next.add(key);
        write(next);
        return new Created(key, secret);
    }

    /**
     * Revokes a key by name or id.
     *
     * @return the key revoked, or empty when there is none
     */
    public synchronized Optional<Key> revoke(String nameOrId) {
        reload();
        Optional<Key> gone = named(keys, nameOrId);
        gone.ifPresent(k -> write(keys.stream().filter(other -> other != k).toList()));
        return gone;
    }

    /**
     * The key a name or id designates: a key of that name first, then one of that id (names cannot
     * take the shape of an id, but a file written by hand may hold one).
     */
    public Optional<Key> named(String nameOrId) {
        return named(list(), nameOrId);
    }

    private static Optional<Key> named(List<Key> keys, String nameOrId) {
        return keys.stream().filter(k -> k.name().equals(nameOrId)).findFirst()
                .or(() -> keys.stream().filter(k -> k.id().equals(nameOrId)).findFirst());
    }

    /**
     * An expiry from a command-line text: a duration ({@code 30d}, {@code 12h}, {@code 90m}), a date
     * ({@code 2027-01-31}, the start of that day in UTC) or an instant ({@code 2027-01-31T12:00:00Z}).
     *
     * @throws IllegalArgumentException for any other text
     */
    public static Instant expiry(String text, Instant now) {
        String t = text.strip();
        try {
            if (t.matches("\\d+[dhm]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                return now.plus(switch (t.charAt(t.length() - 1)) {
                    case 'd' -> Duration.ofDays(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofMinutes(n);
                });
            }
            if (t.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(t);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("--expires takes a duration (30d, 12h, 90m), a date (2027-01-31)"
                    + " or an instant (2027-01-31T12:00:00Z), not '" + text + "'");
        }
    }

    static String digest(String secret) {
        // A virtual thread serves one request: a thread-local digest would be made (and looked up) anew
        // for each, where a clone of the prototype copies a few words.
        MessageDigest sha = Thread.currentThread().isVirtual() ? copyOfPrototype() : SHA256.get();
        byte[] d = sha.digest(secret.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(d);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest copyOfPrototype() {
        try {
            return (MessageDigest) SHA256_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return sha256();
        }
    }

    private void reloadIfChanged() {
        try {
            FileTime time = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            if (!time.equals(seenTime) || size != seenSize) {
                reload();
            }
        } catch (NoSuchFileException e) {
            if (seenSize != -1) {
                reload();
            }
        } catch (IOException e) {
            LOG.warning(() -> "Cannot check " + file + ": " + e.getMessage());
        }
    }

    private synchronized void reload() {
        try {
            if (!Files.exists(file)) {
                install(List.of(), null, -1, false); // a missing file revokes nothing elsewhere
                return;
            }
            FileTime time = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            JsonNode root = json.readTree(Files.readAllBytes(file));
            List<Key> read = new ArrayList<>();
            for (JsonNode k : root.path("keys")) {
                List<String> roles = new ArrayList<>();
                k.path("roles").forEach(r -> roles.add(r.asText()));
                List<String> tools = new ArrayList<>();
                k.path("tools").forEach(r -> tools.add(r.asText()));
                read.add(new Key(k.path("id").asText(), k.path("name").asText(), roles, tools,
                        Instant.parse(k.path("created").asText()),
                        k.hasNonNull("expires") ? Instant.parse(k.get("expires").asText()) : null,
                        k.path("sha256").asText()));
            }
            // a file without its list of keys (emptied by an editor, say) revokes nothing elsewhere
            install(read, time, size, root.path("keys").isArray());
        } catch (IOException | RuntimeException e) {
            if (seenSize == -1 && keys.isEmpty() && seenTime == null) {
                throw new UncheckedIOException(new IOException("cannot read the API keys in " + file + ": "
                        + e.getMessage()));
            }
            LOG.warning(() -> "Cannot read the API keys in " + file + " (keeping the ones read before): "
                    + e.getMessage());
        }
    }

    private void install(List<Key> read, FileTime time, long size, boolean announce) {
        Map<String, Key> digests = new HashMap<>();
        read.forEach(k -> digests.put(k.digest(), k));
        Set<String> gone = new java.util.HashSet<>(byDigest.keySet());
        gone.removeAll(digests.keySet());
        if (announce && !gone.isEmpty()) {
            onRevoked.accept(Set.copyOf(gone));
        }
        keys = List.copyOf(read);
        byDigest = Map.copyOf(digests);
        seenTime = time;
        seenSize = size;
    }

    private void write(List<Key> next) {
        ObjectNode root = json.createObjectNode();
        ArrayNode list = root.putArray("keys");
        for (Key k : next) {
            ObjectNode o = list.addObject().put("id", k.id()).put("name", k.name());
            k.roles().forEach(o.putArray("roles")::add);
            k.tools().forEach(o.putArray("tools")::add);
            o.put("created", k.created().toString());
            o.put("expires", k.expires() == null ? null : k.expires().toString());
            o.put("sha256", k.digest());
        }
        try {
            Files.createDirectories(file.getParent());
            boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
            Path temp = posix ? Files.createTempFile(file.getParent(), ".api-keys", ".tmp",
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                    : Files.createTempFile(file.getParent(), ".api-keys", ".tmp");
            Files.write(temp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            if (posix) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
            install(next, Files.getLastModifiedTime(file), Files.size(file), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the API keys to " + file + ": " + e.getMessage(), e);
        }
    }
}
