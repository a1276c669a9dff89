package dev.plugboard.host.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed command line of {@code bin/plugboard}.
 *
 * @param command {@code serve}, {@code stdio}, {@code search-eval}, {@code help} or {@code version}
 * @param configDir the config folder given with {@code --config}, or null
 * @param settings settings given with flags and {@code --set key=value}
 * @param options the flags of {@code search-eval}, by name without dashes
 */
record CommandLine(String command, Path configDir, Map<String, String> settings, Map<String, String> options) {

    /** The flags {@code search-eval} takes besides the shared ones. */
    static final java.util.Set<String> EVAL_FLAGS = java.util.Set.of("tools", "queries", "mode", "max-queries",
            "fusion", "rrf-k", "text-weight", "vector-weight", "search-bundle");

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
            return new CommandLine("help", null, Map.of(), Map.of());
        }
        if (rest.contains("--version") || rest.get(0).equals("version")) {
            return new CommandLine("version", null, Map.of(), Map.of());
        }
        String command = rest.remove(0);
        if (!command.equals("serve") && !command.equals("stdio") && !command.equals("search-eval")) {
            throw new UsageException("unknown command '" + command + "'");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> options = new LinkedHashMap<>();
        Path config = null;
        for (int i = 0; i < rest.size(); i++) {
            String flag = rest.get(i);
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
                    if (!command.equals("search-eval") || !EVAL_FLAGS.contains(name)) {
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
        return new CommandLine(command, config, settings, options);
    }
}
