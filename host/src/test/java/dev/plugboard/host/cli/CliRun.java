package dev.plugboard.host.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** One run of {@code plugboard} in this process: its exit code and what it printed. */
record CliRun(int code, String out, String err) {

    /** Runs the command line with {@code plugboard.home} set to the given folder. */
    static CliRun of(Path home, String... args) {
        String before = System.getProperty("plugboard.home");
        System.setProperty("plugboard.home", home.toString());
        try {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            var line = Main.commandLine(args);
            line.setOut(new PrintWriter(out, true));
            line.setErr(new PrintWriter(err, true));
            int code = line.execute(args);
            return new CliRun(code, out.toString(), err.toString());
        } finally {
            if (before == null) {
                System.clearProperty("plugboard.home");
            } else {
                System.setProperty("plugboard.home", before);
            }
        }
    }
}
