package dev.plugboard.host.embedding;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Vectors by the SHA-256 of their text, kept in memory and appended to a file so that a restart or a
 * redeploy does not compute them again. A file that is damaged or belongs to another model is
 * discarded and started afresh. Thread-safe.
 */
final class EmbeddingCache implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddingCache.class.getName());
    private static final String MAGIC = "plugboard-embeddings-1";
    /**
     * The most vectors kept. Vectors of texts that changed stay in the file; past this many (about
     * 150 MB at 384 dimensions) the file is started afresh and live entries are computed again.
     */
    static final int MAX_ENTRIES = 100_000;

    private final Map<String, float[]> vectors = new ConcurrentHashMap<>();
    private final Path file;
    private final String model;
    private final int dimensions;
    private DataOutputStream out;

    /**
     * @param file where the vectors are kept; null to keep them in memory only
     * @param model the model that computed them
     * @param dimensions the length of every vector
     */
    EmbeddingCache(Path file, String model, int dimensions) {
        this.file = file;
        this.model = model;
        this.dimensions = dimensions;
        if (file != null) {
            load();
        }
    }

    /** The cached vector of a text, or null. */
    float[] get(String text) {
        return vectors.get(key(text));
    }

    /** Caches the vector of a text. */
    synchronized void put(String text, float[] vector) {
        String key = key(text);
        if (vectors.putIfAbsent(key, vector) != null || file == null) {
            return;
        }
        try {
            if (out == null) {
                boolean fresh = !Files.exists(file) || Files.size(file) == 0;
                Files.createDirectories(file.toAbsolutePath().getParent());
                out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND)));
                if (fresh) {
                    out.writeUTF(MAGIC);
                    out.writeUTF(model);
                    out.writeInt(dimensions);
                }
            }
            out.write(HexFormat.of().parseHex(key));
            for (float f : vector) {
                out.writeFloat(f);
            }
            out.flush();
        } catch (IOException e) {
            LOG.warning(() -> "Could not keep an embedding in " + file + ": " + e.getMessage());
        }
    }

    /** How many vectors are cached. */
    int size() {
        return vectors.size();
    }

    private void load() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(
                new BufferedInputStream(raw))) {
            if (!MAGIC.equals(in.readUTF()) || !model.equals(in.readUTF()) || in.readInt() != dimensions) {
                throw new IOException("it belongs to another model or format");
            }
            byte[] digest = new byte[32];
            for (int first; (first = in.read()) != -1;) {
                digest[0] = (byte) first;
                in.readFully(digest, 1, digest.length - 1);
                float[] v = new float[dimensions];
                for (int i = 0; i < dimensions; i++) {
                    v[i] = in.readFloat();
                }
                vectors.put(HexFormat.of().formatHex(digest), v);
            }
        } catch (EOFException e) {
            LOG.warning(() -> "The embedding cache " + file + " ends in a partial record; it is kept up to there");
            rewrite();
            return;
        } catch (IOException | RuntimeException e) {
            LOG.warning(() -> "Discarding the embedding cache " + file + ": " + e.getMessage());
            vectors.clear();
            delete();
            return;
        }
        if (vectors.size() > MAX_ENTRIES) {
            LOG.info(() -> "The embedding cache " + file + " holds " + vectors.size() + " vectors, more than "
                    + MAX_ENTRIES + "; it is started afresh");
            vectors.clear();
            delete();
        }
    }

    /** Writes the vectors read so far to a fresh file (after a partial last record). */
    private void rewrite() {
        Map<String, float[]> kept = Map.copyOf(vectors);
        try (OutputStream raw = Files.newOutputStream(file); DataOutputStream o = new DataOutputStream(
                new BufferedOutputStream(raw))) {
            o.writeUTF(MAGIC);
            o.writeUTF(model);
            o.writeInt(dimensions);
            for (var e : kept.entrySet()) {
                o.write(HexFormat.of().parseHex(e.getKey()));
                for (float f : e.getValue()) {
                    o.writeFloat(f);
                }
            }
        } catch (IOException e) {
            LOG.warning(() -> "Could not rewrite " + file + ": " + e.getMessage());
        }
    }

    private void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warning(() -> "Could not delete " + file + ": " + e.getMessage());
        }
    }

    static String key(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.fine(() -> "Closing " + file + " failed: " + e.getMessage());
            }
            out = null;
        }
    }
}
