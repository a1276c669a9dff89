package dev.plugboard.host.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed command line of {@code bin/plugboard}.
 *
 * @param command {@code serve}, {@code stdio}, {@code search-eval}, {@code new-plugin},
 *     {@code check-bundle}, {@code help} or {@code version}
 * @param configDir the config folder given with {@code --config}, or null
 * @param settings settings given with flags and {@code --set key=value}
 * @param options the flags of {@code search-eval} and {@code new-plugin}, by name without dashes
 * @param arguments the plain arguments of {@code new-plugin} (the name) and {@code check-bundle} (jars)
 */
record CommandLine(String command, Path configDir, Map<String, String> settings, Map<String, String> options,
        List<String> arguments) {

    /** The flags {@code search-eval} takes besides the shared ones. */
    static final java.util.Set<String> EVAL_FLAGS = java.util.Set.of("tools", "queries", "mode", "max-queries",
            "fusion", "rrf-k", "text-weight", "vector-weight", "search-bundle");

    /** The flags {@code new-plugin} takes. */
    static final java.util.Set<String> NEW_PLUGIN_FLAGS = java.util.Set.of("group", "package");

    /** The commands that take plain arguments. */
    private static final java.util.Set<String> WITH_ARGUMENTS = java.util.Set.of("new-plugin", "check-bundle");

    /** A command line that could not be parsed. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message, null, false, false);
        }
    }

    static CommandLine parse(String[] args) throws UsageException {
        List<String> rest = new ArrayList<>(List.of(args));
        if (rest.isEmpty() || rest.contains("--help") || rest.contains("-h") || rest.get(0).equals("help")) {
            return new CommandLine("help", null, Map.of(), Map.of(), List.of());
        }
        if (rest.contains("--version") || rest.get(0).equals("version")) {
            return new CommandLine("version", null, Map.of(), Map.of(), List.of());
        }
        String command = rest.remove(0);
        if (!command.equals("serve") && !command.equals("stdio") && !command.equals("search-eval")
                && !WITH_ARGUMENTS.contains(command)) {
            throw new UsageException("unknown command '" + command + "'");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> options = new LinkedHashMap<>();
        List<String> arguments = new ArrayList<>();
        Path config = null;
        for (int i = 0; i < rest.size(); i++) {
            String flag = rest.get(i);
            if (WITH_ARGUMENTS.contains(command) && !flag.startsWith("--")) {
                arguments.add(flag);
                continue;
            }
            String value = i + 1 < rest.size() ? rest.get(i + 1) : null;
            int eq = flag.indexOf('=');
            if (flag.startsWith("--") && eq > 0) {
                value = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            } else {
                i++;
            }
            if (value == null) {
                throw new UsageException("flag " + flag + " needs a value");
            }
            switch (flag) {
                case "--host" -> settings.put("http.host", value);
                case "--port" -> settings.put("http.port", value);
                case "--bundles" -> settings.put("paths.bundles", Path.of(value).toAbsolutePath().toString());
                case "--data" -> settings.put("paths.data", Path.of(value).toAbsolutePath().toString());
                case "--config" -> config = Path.of(value).toAbsolutePath();
                case "--set" -> {
                    int sep = value.indexOf('=');
                    if (sep <= 0) {
                        throw new UsageException("--set needs key=value, not '" + value + "'");
                    }
                    settings.put(value.substring(0, sep).trim(), value.substring(sep + 1).trim());
                }
                default -> {
                    String name = flag.startsWith("--") ? flag.substring(2) : flag;
                    boolean known = command.equals("search-eval") ? EVAL_FLAGS.contains(name)
                            : command.equals("new-plugin") && NEW_PLUGIN_FLAGS.contains(name);
                    if (!known) {
                        throw new UsageException("unknown flag '" + flag + "'");
                    }
                    options.put(name, value);
                }
            }
        }
        if (!command.equals("serve") && (settings.containsKey("http.host") || settings.containsKey("http.port"))) {
            throw new UsageException("--host and --port apply to serve, not to " + command);
        }
        if (command.equals("search-eval") && (!options.containsKey("tools") || !options.containsKey("queries"))) {
            throw new UsageException("search-eval needs --tools FILE and --queries FILE");
        }
        if (command.equals("new-plugin") && arguments.size() != 1) {
            throw new UsageException("new-plugin needs one NAME, such as: plugboard new-plugin weather-tools");
        }
        if (command.equals("check-bundle") && arguments.isEmpty()) {
            throw new UsageException("check-bundle needs the jar to check: plugboard check-bundle target/my-plugin.jar");
        }
        return new CommandLine(command, config, settings, options, List.copyOf(arguments));
    }
}
