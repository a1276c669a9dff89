package dev.plugboard.host.admin;

import dev.plugboard.host.admin.AdminException.Reason;
import dev.plugboard.host.config.PluginConfigs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads and writes the configuration of plugins: the properties of {@code config/<pid>.cfg}. A
 * write replaces the file atomically and applies the new values at once through Configuration Admin
 * (the components using the PID are re-activated). Thread-safe.
 */
public final class PluginSettings {

    private static final Pattern PID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,199}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,199}");
    private static final int MAX_VALUE_CHARS = 64 * 1024;

    private final Path configDir;
    private final PluginConfigs configs;

    /**
     * @param configDir the config folder
     * @param configs applies configurations to Configuration Admin
     */
    public PluginSettings(Path configDir, PluginConfigs configs) {
        this.configDir = configDir;
        this.configs = configs;
    }

    /** The PIDs that have a {@code <pid>.cfg} in the config folder, sorted. */
    public List<String> pids() {
        if (!Files.isDirectory(configDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(configDir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".cfg"))
                    .map(n -> n.substring(0, n.length() - ".cfg".length()))
                    .filter(pid -> PID.matcher(pid).matches()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + configDir, e);
        }
    }

    /**
     * The properties of {@code <pid>.cfg}.
     *
     * @return the values by key, sorted by key
     * @throws AdminException {@link Reason#BAD_REQUEST} for a malformed PID, {@link Reason#NOT_FOUND}
     *     when there is no such file
     */
    public Map<String, String> get(String pid) {
        Path file = file(pid);
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            throw new AdminException(Reason.NOT_FOUND, "there is no configuration for '" + pid + "' (no "
                    + file.getFileName() + " in the config folder)");
        } catch (IOException | IllegalArgumentException e) {
            throw new AdminException(Reason.BAD_REQUEST, "the configuration file " + file.getFileName()
                    + " cannot be read: " + e.getMessage());
        }
        Map<String, String> values = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k).trim()));
        return values;
    }

    /**
     * Replaces the properties of {@code <pid>.cfg} (creating it) and applies them.
     *
     * @param values the new values by key: strings, numbers or booleans (stored as their text)
     * @return the values as stored
     * @throws AdminException {@link Reason#INVALID_CONFIG} naming the first key at fault,
     *     {@link Reason#BAD_REQUEST} for a malformed PID
     */
    public synchronized Map<String, String> put(String pid, Map<String, ?> values) {
        Path file = file(pid);
        Map<String, String> text = new TreeMap<>();
        for (Map.Entry<String, ?> e : values.entrySet()) {
            String key = e.getKey();
            if (key == null || !KEY.matcher(key).matches()) {
                throw new AdminException(Reason.INVALID_CONFIG, "the key '" + key
                        + "' is not valid: use letters, digits, '.', '_' and '-' (at most 200)", key);
            }
            Object v = e.getValue();
            String value = switch (v) {
                case String s -> s.trim();
                case Number n -> n.toString();
                case Boolean b -> b.toString();
                case null -> throw new AdminException(Reason.INVALID_CONFIG, "the value of '" + key
                        + "' is null; give a string, number or boolean, or leave the key out", key);
                default -> throw new AdminException(Reason.INVALID_CONFIG, "the value of '" + key
                        + "' must be a string, number or boolean", key);
            };
            if (value.length() > MAX_VALUE_CHARS || value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                throw new AdminException(Reason.INVALID_CONFIG, "the value of '" + key
                        + "' must be one line of at most " + MAX_VALUE_CHARS + " characters without control characters", key);
            }
            text.put(key, value);
        }
        write(file, text);
        configs.set(pid, text);
        return text;
    }

    private void write(Path file, Map<String, String> values) {
        Properties p = new Properties();
        p.putAll(values);
        try {
            Files.createDirectories(configDir);
            Path temp = configDir.resolve("." + file.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(temp)) {
                p.store(out, "written through the admin API");
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private Path file(String pid) {
        if (pid == null || !PID.matcher(pid).matches()) {
            throw new AdminException(Reason.BAD_REQUEST, "'" + pid
                    + "' is not a configuration PID: use letters, digits, '.', '_' and '-' (at most 200)");
        }
        return configDir.resolve(pid + ".cfg");
    }
}
