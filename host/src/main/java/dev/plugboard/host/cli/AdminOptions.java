package dev.plugboard.host.cli;

import dev.plugboard.host.config.HostConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * Where the running server is and how to prove admin rights to it: by default the address and
 * data folder of this installation's configuration, the same a {@code plugboard serve} here uses.
 */
final class AdminOptions {

    @Option(names = "--url", paramLabel = "URL",
            description = "The server's address (default http://HOST:PORT from this installation's configuration).")
    URI url;

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "The file holding the admin key (default <data>/admin.key, which the server writes on first start).")
    Path keyFile;

    @Option(names = "--config", paramLabel = "DIR",
            description = "The config folder the server runs with, for its address and data folder (default <home>/config).")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "The data folder the server runs with (default <home>/data).")
    Path data;

    /** One or a few requests against the server. */
    @FunctionalInterface
    interface Action {
        void run(AdminClient client) throws AdminClient.AdminException, HostOptions.Refused;
    }

    /**
     * Runs an action with the client these options name; a failure becomes one line on standard
     * error and exit code 1 (the server refused or could not be reached) or 2 (wrong options).
     */
    int run(CommandSpec spec, Action action) {
        PrintWriter err = spec.commandLine().getErr();
        String prefix = Main.prefix(spec.commandLine());
        try {
            action.run(client());
            return 0;
        } catch (HostOptions.Refused e) {
            err.println(prefix + ": " + e.getMessage());
            return Main.USAGE;
        } catch (AdminClient.AdminException e) {
            err.println(prefix + ": " + e.getMessage());
            return Main.FAILED;
        }
    }

    /** A client of the server these options name. */
    AdminClient client() throws HostOptions.Refused {
        Path configDir = config == null ? null : config.toAbsolutePath().normalize();
        if (configDir != null && !Files.isDirectory(configDir)) {
            throw new HostOptions.Refused("the config folder " + configDir + " does not exist");
        }
        HostConfig hostConfig;
        try {
            Map<String, String> settings = new HashMap<>();
            if (data != null) {
                settings.put("paths.data", data.toAbsolutePath().normalize().toString());
            }
            hostConfig = HostConfig.load(Main.home(), configDir, settings);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new HostOptions.Refused(e.getMessage());
        }
        URI server = url != null ? url : defaultUrl(hostConfig);
        if (server.getScheme() == null || !server.getScheme().matches("https?") || server.getHost() == null) {
            throw new HostOptions.Refused("--url must be an http:// or https:// address, such as http://127.0.0.1:8080, "
                    + "not '" + server + "'");
        }
        Path key = keyFile != null ? keyFile.toAbsolutePath() : hostConfig.dataDir().resolve("admin.key");
        if (!Files.isRegularFile(key)) {
            throw new HostOptions.Refused("no admin key at " + key + " (the server writes it on its first start; run this "
                    + "where the server's data folder is, with its --data, or give the key with --key-file)");
        }
        try {
            return new AdminClient(server, Files.readString(key, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new HostOptions.Refused("cannot read the admin key " + key + ": " + e.getMessage());
        }
    }

    private static URI defaultUrl(HostConfig config) {
        String host = config.http().host();
        if (host.equals("0.0.0.0") || host.isEmpty()) {
            host = "127.0.0.1";
        } else if (host.equals("::") || host.equals("[::]")) {
            host = "::1";
        }
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + config.http().port());
    }
}
