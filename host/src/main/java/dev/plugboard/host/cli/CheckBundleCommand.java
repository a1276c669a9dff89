package dev.plugboard.host.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code plugboard check-bundle JAR...}: checks plugin jars; see {@link BundleCheck}. */
@Command(name = "check-bundle", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Check plugin jars before deploying them: manifest, imports against this host's exports, tools "
                + "found, schemas valid. Exits with 1 when something is wrong.")
final class CheckBundleCommand implements Callable<Integer> {

    @Parameters(paramLabel = "JAR", arity = "1..*", description = "The jars to check, together (a plugin and the "
            + "libraries it needs).")
    List<Path> jars;

    @Override
    public Integer call() {
        try {
            return BundleCheck.run(Main.home(), jars, System.out);
        } catch (Exception e) {
            System.err.println("plugboard check-bundle: the check could not run: " + e.getMessage());
            return Main.FAILED;
        }
    }
}
