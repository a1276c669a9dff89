package dev.plugboard.host.cli;

import dev.plugboard.host.config.HostConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The folders and settings that every command running a host takes, and the configuration they
 * make: {@code --bundles}, {@code --config}, {@code --data} and {@code --set KEY=VALUE}.
 */
final class HostOptions {

    @Option(names = "--bundles", paramLabel = "DIR",
            description = "Deploy folder watched for plugin bundles (default <home>/bundles, created when missing; "
                    + "a folder given here must exist).")
    Path bundles;

    @Option(names = "--config", paramLabel = "DIR",
            description = "Folder holding plugboard.properties and plugin configuration (default <home>/config; "
                    + "a folder given here must exist).")
    Path config;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder for the host's state (default <home>/data; created when missing).")
    Path data;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Any setting of plugboard.properties, for example --set tools.timeoutSeconds=30 (repeatable).")
    Map<String, String> set = new LinkedHashMap<>();

    /** What was wrong with the folders or settings; the command exits with 2. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** The settings given on the command line, by key. */
    Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        set.forEach((key, value) -> settings.put(key.trim(), value.trim()));
        if (bundles != null) {
            settings.put("paths.bundles", bundles.toAbsolutePath().normalize().toString());
        }
        if (data != null) {
            settings.put("paths.data", data.toAbsolutePath().normalize().toString());
        }
        return settings;
    }

    /**
     * Loads the configuration and checks its folders: a config folder or deploy folder that was named
     * (on the command line or in plugboard.properties) must exist, since a typo there would otherwise
     * start a host without the user's settings or bundles; the default deploy folder is created.
     *
     * @return the configuration, and whether the default deploy folder has to be created
     */
    Loaded load(Path home) throws Refused {
        Path configDir = config == null ? null : config.toAbsolutePath().normalize();
        if (configDir != null && !Files.isDirectory(configDir)) {
            throw new Refused("the config folder " + configDir + (Files.exists(configDir) ? " is not a folder"
                    : " does not exist") + "; it holds plugboard.properties (leave --config out to use "
                    + home.resolve("config") + ")");
        }
        HostConfig loaded;
        try {
            loaded = HostConfig.load(home, configDir, settings());
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new Refused(e.getMessage());
        }
        Path deploy = loaded.bundlesDir();
        boolean isDefault = deploy.equals(home.resolve(HostConfig.DEFAULTS.get("paths.bundles")).normalize());
        if (Files.exists(deploy) && !Files.isDirectory(deploy)) {
            throw new Refused("the deploy folder " + deploy + " is a file, not a folder");
        }
        if (!isDefault && !Files.isDirectory(deploy)) {
            throw new Refused("the deploy folder " + deploy + " does not exist; create it first (mkdir -p " + deploy
                    + "), or leave --bundles out to use " + home.resolve("bundles"));
        }
        return new Loaded(loaded, !Files.isDirectory(deploy));
    }

    /**
     * A loaded configuration.
     *
     * @param config the configuration
     * @param createDeployFolder whether the default deploy folder is missing and is to be created
     */
    record Loaded(HostConfig config, boolean createDeployFolder) {
    }
}
