package dev.plugboard.host.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * The audit log: one JSON line per admin operation and per denied request, appended to its own
 * file ({@code <data>/audit.log} unless {@code security.json} says otherwise):
 * {@code {"at","who","credential","what","outcome","detail"}}. It never holds a credential.
 * Thread-safe; a line is written whole or not at all.
 */
public final class AuditLog implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());

    private volatile Path file;
    private final ObjectMapper json;
    private OutputStream out;

    /** Opens (appends to) the file, creating its folder. */
    public AuditLog(Path file, ObjectMapper json) {
        this.file = file;
        this.json = json;
    }

    /** The file written. */
    public Path file() {
        return file;
    }

    /** Writes the next lines to another file (the configuration named another one); the same file changes nothing. */
    public synchronized void moveTo(Path next) {
        if (!next.equals(file)) {
            close();
            file = next;
        }
    }

    /**
     * Writes one line.
     *
     * @param who the principal's name (or {@code anonymous})
     * @param credential the credential's id, never the credential
     * @param what the operation ({@code POST /api/v1/modules}, {@code keys.add alice})
     * @param outcome {@code done}, {@code denied}, {@code rate-limited}, ...
     * @param detail a sentence, or null
     */
    public void record(String who, String credential, String what, String outcome, String detail) {
        ObjectNode line = json.createObjectNode().put("at", Instant.now().toString()).put("who", who)
                .put("credential", credential).put("what", what).put("outcome", outcome);
        if (detail != null) {
            line.put("detail", detail);
        }
        try {
            byte[] bytes = (json.writeValueAsString(line) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            synchronized (this) {
                if (out == null) {
                    Files.createDirectories(file.toAbsolutePath().getParent());
                    out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                            StandardOpenOption.WRITE);
                }
                out.write(bytes);
                out.flush();
            }
        } catch (IOException e) {
            LOG.warning(() -> "Cannot write the audit log " + file + ": " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                LOG.fine(() -> "Closing the audit log failed: " + e);
            }
            out = null;
        }
    }
}
