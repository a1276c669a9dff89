package dev.plugboard.host.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.config.Secrets;
import dev.plugboard.host.config.HostConfig;
import dev.plugboard.host.security.ApiKeys;
import dev.plugboard.host.security.AuditLog;
import dev.plugboard.host.security.CallLimiter;
import dev.plugboard.host.security.KeyManagement;
import dev.plugboard.host.security.Principal;
import dev.plugboard.host.security.Rights;
import dev.plugboard.host.security.Roles;
import dev.plugboard.host.security.SecurityConfig;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code plugboard keys}: adds, lists and revokes API keys in {@code <data>/api-keys.json}. It works on
 * the file itself, so it needs no running server; a running server reads the file again when it
 * changes (a new or revoked key counts within a fraction of a second).
 */
@Command(name = "keys", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Add, list and revoke API keys (<data>/api-keys.json). Works with the server running or not;"
                + " a running server picks up changes at once.")
final class KeysCommand {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "The config folder the server runs with (default <home>/config).")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "The data folder the server runs with (default <home>/data).")
    Path data;

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Create a key and print it (shown this once; only its digest is stored).")
    int add(@Parameters(paramLabel = "NAME", description = "Who or what the key is for (unique).") String name,
            @Option(names = "--role", required = true, paramLabel = "ROLE",
                    description = "admin, operator, user, or a role of config/security.json (repeatable).")
            List<String> roles,
            @Option(names = "--tools", arity = "1..*", paramLabel = "GLOB",
                    description = "Only these tools (globs such as essentials.*); default: every tool the role allows.")
            List<String> tools,
            @Option(names = "--expires", paramLabel = "WHEN",
                    description = "When the key stops working: 30d, 12h, 90m, 2027-01-31 or 2027-01-31T12:00:00Z.")
            String expires) {
        return run(setup -> {
            ApiKeys.Created created = setup.keys().create(setup.user(), new KeyManagement.Request(name, roles, tools,
                    expires));
            Instant until = created.key().expires();
            PrintWriter err = spec.commandLine().getErr();
            err.println("Created key '" + name + "' (id " + created.key().id() + ", roles "
                    + String.join(",", created.key().roles()) + ", tools " + String.join(",", created.key().tools())
                    + (until == null ? "" : ", expires " + until) + "). Send it as 'Authorization: Bearer <key>';"
                    + " it is shown only now:");
            err.flush();
            spec.commandLine().getOut().println(created.secret());
        });
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the keys (never the keys themselves).")
    int list() {
        return run(setup -> {
            PrintWriter out = spec.commandLine().getOut();
            List<ApiKeys.Key> keys = setup.keys().list(setup.user());
            if (keys.isEmpty()) {
                out.println("No API keys (add one with: plugboard keys add NAME --role user)");
                return;
            }
            out.printf("%-24s %-12s %-16s %-28s %s%n", "NAME", "ID", "ROLES", "TOOLS", "EXPIRES");
            Instant now = Instant.now();
            for (ApiKeys.Key k : keys) {
                out.printf("%-24s %-12s %-16s %-28s %s%n", k.name(), k.id(), String.join(",", k.roles()),
                        String.join(",", k.tools()), k.expires() == null ? "never"
                                : k.expires() + (k.expiredAt(now) ? " (expired)" : ""));
            }
        });
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key by name or id.")
    int revoke(@Parameters(paramLabel = "NAME", description = "The key's name or id.") String name) {
        return run(setup -> {
            ApiKeys.Key gone = setup.keys().revoke(setup.user(), name);
            spec.commandLine().getOut().println("Revoked key '" + gone.name() + "' (id " + gone.id() + ")");
        });
    }

    /** The key service over the files, acting for the user who runs the command (whoever may write the files). */
    private record Setup(KeyManagement keys, Principal user, AuditLog audit) {
    }

    @FunctionalInterface
    private interface Action {
        void run(Setup setup);
    }

    private int run(Action action) {
        PrintWriter err = spec.commandLine().getErr();
        String prefix = Main.prefix(spec.commandLine());
        Setup setup;
        try {
            Path configDir = config == null ? null : config.toAbsolutePath().normalize();
            if (configDir != null && !Files.isDirectory(configDir)) {
                err.println(prefix + ": the config folder " + configDir + " does not exist");
                return Main.USAGE;
            }
            Map<String, String> settings = new HashMap<>();
            if (data != null) {
                settings.put("paths.data", data.toAbsolutePath().normalize().toString());
            }
            HostConfig host = HostConfig.load(Main.home(), configDir, settings);
            ObjectMapper json = new ObjectMapper();
            SecurityConfig security = SecurityConfig.load(host.configDir(), json, Secrets.of(host.configDir()));
            AuditLog audit = new AuditLog(host.dataDir().resolve(security.auditFile()), json);
            setup = new Setup(new KeyManagement(new ApiKeys(host.dataDir(), json), security::roles, audit),
                    new Principal(cliUser(), Set.of(Roles.ADMIN), Rights.ALL, "cli", CallLimiter.NONE), audit);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println(prefix + ": " + e.getMessage());
            return Main.USAGE;
        }
        try {
            action.run(setup);
            return 0;
        } catch (IllegalArgumentException | KeyManagement.Refused e) {
            err.println(prefix + ": " + e.getMessage());
            return Main.USAGE;
        } catch (UncheckedIOException e) {
            err.println(prefix + ": " + e.getMessage());
            return Main.FAILED;
        } finally {
            setup.audit().close();
        }
    }

    private static String cliUser() {
        String user = System.getProperty("user.name");
        return user == null ? "cli" : user;
    }

}
