package dev.plugboard.host.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code plugboard stdio}: serves one MCP client over standard input and output. */
@Command(name = "stdio", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Serve one MCP client over standard input and output; ends when standard input closes. "
                + "Standard output carries MCP messages only; logs go to standard error.")
final class StdioCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HostOptions options;

    @Option(names = "--server", paramLabel = "NAME",
            description = "Serve this virtual server of virtual-servers.json (its part of the catalogue) instead of"
                    + " the whole catalogue")
    String server;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        HostOptions.Loaded loaded;
        try {
            loaded = options.load(Main.home());
        } catch (HostOptions.Refused e) {
            err.println("plugboard stdio: " + e.getMessage());
            return Main.USAGE;
        }
        err.flush();
        return HostProcess.run(loaded, true, server, err);
    }
}
