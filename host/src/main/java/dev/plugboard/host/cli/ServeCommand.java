package dev.plugboard.host.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code plugboard serve}: serves MCP over Streamable HTTP until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Serve MCP over Streamable HTTP at http://HOST:PORT/mcp until stopped (Ctrl-C or SIGTERM).")
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HostOptions options;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to bind (default 127.0.0.1, loopback).")
    String host;

    @Option(names = "--port", paramLabel = "N", description = "Port to bind (default 8080; 0 picks a free port).")
    String port;

    @Option(names = "--insecure", description = "Serve callers without credentials even on a non-loopback address"
            + " (refused by default when config/security.json does not exist).")
    boolean insecure;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        if (insecure) {
            options.set.put("security.insecure", "true");
        }
        if (host != null) {
            options.set.put("http.host", host);
        }
        if (port != null) {
            options.set.put("http.port", port);
        }
        HostOptions.Loaded loaded;
        try {
            loaded = options.load(Main.home());
        } catch (HostOptions.Refused e) {
            err.println("plugboard serve: " + e.getMessage());
            return Main.USAGE;
        }
        var http = loaded.config().http();
        String taken = portTaken(http.host(), http.port());
        if (taken != null) {
            err.println("plugboard serve: " + taken);
            return Main.FAILED;
        }
        err.flush();
        return HostProcess.run(loaded, false, err);
    }

    /**
     * Whether the address can be bound, checked before the host starts so that a taken port is
     * reported at once rather than after the framework and the bundles have started.
     *
     * @return why it cannot be bound, or null
     */
    static String portTaken(String host, int port) {
        if (port == 0) {
            return null;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return null;
        } catch (BindException e) {
            return cannotListen(host, port, e);
        } catch (UnknownHostException e) {
            return "cannot listen on " + host + ": no such address (check --host or http.host)";
        } catch (IOException e) {
            return "cannot listen on " + address(host, port) + ": " + e.getMessage();
        }
    }

    /** The one line that says why the host could not listen. */
    static String cannotListen(String host, int port, BindException e) {
        String reason = e.getMessage() == null ? "" : e.getMessage();
        if (reason.contains("in use")) {
            return "cannot listen on " + address(host, port) + ": the address is already in use (another program, "
                    + "or another Plugboard, listens there; stop it or choose another port with --port)";
        }
        if (reason.contains("assign")) {
            return "cannot listen on " + address(host, port) + ": this machine has no such address (check --host)";
        }
        if (reason.contains("ermission")) {
            return "cannot listen on " + address(host, port) + ": permission denied (ports below 1024 need privileges; "
                    + "choose another with --port)";
        }
        return "cannot listen on " + address(host, port) + ": " + reason;
    }

    private static String address(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
