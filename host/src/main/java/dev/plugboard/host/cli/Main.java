package dev.plugboard.host.cli;

import dev.plugboard.host.Plugboard;
import dev.plugboard.api.search.SearchMode;
import dev.plugboard.host.config.HostConfig;
import dev.plugboard.host.evaluation.SearchEvaluation;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import dev.plugboard.host.stdio.StdioTransport;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of {@code bin/plugboard}.
 */
public final class Main {

    private static final String HELP = """
            Plugboard %s: an MCP server built as an OSGi plugin host.

            Usage:
              plugboard serve [options]   serve MCP over Streamable HTTP at http://HOST:PORT/mcp
              plugboard stdio [options]   serve one MCP client over standard input and output
              plugboard search-eval --tools TOOLS.jsonl --queries QUERIES.jsonl [--mode bm25|vector|hybrid]
                                          measure search quality (Recall@5, Recall@10, nDCG@10, MRR) and
                                          query latency on a labelled corpus, with the production search
              plugboard new-plugin NAME [--group ID] [--package NAME]
                                          create a plugin project in ./NAME from the archetype in
                                          sdk/repository (needs Maven: PLUGBOARD_MVN or mvn on the PATH)
              plugboard check-bundle JAR [JAR...]
                                          check plugin jars before deploying them: manifest, imports
                                          against this host's exports, tools found, schemas valid;
                                          exits with 1 when something is wrong
              plugboard --help            print this help
              plugboard --version         print the version

            Options:
              --host ADDRESS     address to bind (serve only; default 127.0.0.1, loopback)
              --port N           port to bind (serve only; default 8080; 0 picks a free port)
              --bundles DIR      deploy folder watched for plugin bundles (default <home>/bundles)
              --config DIR       folder holding plugboard.properties (default <home>/config)
              --data DIR         folder for the host's state (default <home>/data)
              --set KEY=VALUE    any setting of plugboard.properties, for example
                                 --set tools.timeoutSeconds=30 (repeatable)

            search-eval options:
              --tools FILE       tools, one JSON object a line: {"id","name","description"}
              --queries FILE     queries, one a line: {"query","relevant":[tool ids]}
              --mode MODE        bm25, vector or hybrid (default: all three)
              --max-queries N    evaluate the first N queries only
              --fusion F         rrf or blend; --rrf-k K, --text-weight W, --vector-weight W tune it
              --search-bundle J  the search bundle jar (default <bundles>/plugboard-search.jar)

            Settings (plugboard.properties keys and defaults):
            %s
            Health: GET /health/live, GET /health/ready (200 once start-up deployment is done).
            Logs go to standard error (or log.file), never to standard output.
            """;

    private Main() {
    }

    /** Runs a command; exits with 0 on success, 1 on a start-up failure, 2 on a usage error. */
    public static void main(String[] args) {
        PrintStream stdout = System.out;
        CommandLine line;
        try {
            line = CommandLine.parse(args);
        } catch (CommandLine.UsageException e) {
            System.err.println("plugboard: " + e.getMessage() + " (see plugboard --help)");
            System.exit(2);
            return;
        }
        switch (line.command()) {
            case "help" -> stdout.print(help());
            case "version" -> stdout.println("plugboard " + Plugboard.version());
            case "search-eval" -> System.exit(evaluate(line, stdout));
            case "new-plugin" -> System.exit(newPlugin(line));
            case "check-bundle" -> System.exit(checkBundle(line, stdout));
            default -> System.exit(run(line));
        }
    }

    private static int run(CommandLine line) {
        boolean stdio = line.command().equals("stdio");
        OutputStream protocolOut = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024);
        if (stdio) {
            System.setOut(System.err);
        }
        HostConfig config;
        try {
            config = HostConfig.load(home(), line.configDir(), line.settings());
            LogSetup.configure(config.logLevel(), config.logFile());
        } catch (RuntimeException | java.io.IOException e) {
            System.err.println("plugboard: " + e.getMessage());
            return 2;
        }
        Plugboard host;
        try {
            host = Plugboard.start(config, !stdio);
        } catch (Exception e) {
            System.err.println("plugboard: could not start: " + e.getMessage());
            java.util.logging.Logger.getLogger(Main.class.getName()).log(java.util.logging.Level.FINE, "start-up failure", e);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            host.close();
            stopped.countDown();
        }, "plugboard-shutdown"));
        try {
            if (stdio) {
                new StdioTransport(host.engine(), host.codec(), new FileInputStream(FileDescriptor.in), protocolOut,
                        config.maxMessageBytes()).run();
                return 0;
            }
            stopped.await();
            return 0;
        } catch (java.io.IOException e) {
            System.err.println("plugboard: standard input failed: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            // Never leave a process that no longer reads its input but does not exit either.
            System.err.println("plugboard: the transport failed: " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static int evaluate(CommandLine line, PrintStream stdout) {
        try {
            HostConfig config = HostConfig.load(home(), line.configDir(), line.settings());
            LogSetup.configure(config.logLevel().equals("INFO") ? "WARNING" : config.logLevel(), config.logFile());
            Map<String, String> o = line.options();
            List<SearchMode> modes = o.containsKey("mode")
                    ? List.of(SearchMode.valueOf(o.get("mode").toUpperCase(Locale.ROOT)))
                    : List.of(SearchMode.BM25, SearchMode.VECTOR, SearchMode.HYBRID);
            Map<String, String> search = new java.util.LinkedHashMap<>();
            for (String[] flag : new String[][] {{"fusion", "fusion"}, {"rrf-k", "rrfK"}, {"text-weight", "textWeight"},
                {"vector-weight", "vectorWeight"}}) {
                if (o.containsKey(flag[0])) {
                    search.put(flag[1], o.get(flag[0]));
                }
            }
            Path bundle = o.containsKey("search-bundle") ? Path.of(o.get("search-bundle"))
                    : config.bundlesDir().resolve("plugboard-search.jar");
            new SearchEvaluation(new JsonRpcCodec().mapper(), stdout).run(new SearchEvaluation.Options(
                    Path.of(o.get("tools")), Path.of(o.get("queries")), modes, bundle, config.systemDir(),
                    config.dataDir(), config.embeddingModel(), search,
                    Integer.parseInt(o.getOrDefault("max-queries", "0"))));
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("plugboard search-eval: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println("plugboard search-eval: " + e);
            return 1;
        }
    }

    private static int newPlugin(CommandLine line) {
        try {
            return NewPlugin.run(home(), line.arguments().get(0), line.options(), System.getenv(), System.err);
        } catch (java.io.IOException e) {
            System.err.println("plugboard new-plugin: could not run Maven: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int checkBundle(CommandLine line, PrintStream stdout) {
        try {
            return BundleCheck.run(home(), line.arguments().stream().map(Path::of).toList(), stdout);
        } catch (Exception e) {
            System.err.println("plugboard check-bundle: the check could not run: " + e.getMessage());
            return 1;
        }
    }

    private static Path home() {
        String home = System.getProperty("plugboard.home");
        return Path.of(home == null ? "." : home).toAbsolutePath().normalize();
    }

    static String help() {
        StringBuilder settings = new StringBuilder();
        HostConfig.DEFAULTS.forEach((k, v) -> settings.append(String.format("  %-28s %s%n", k, v.isEmpty() ? "(empty)" : v)));
        return HELP.formatted(Plugboard.version(), settings);
    }
}
