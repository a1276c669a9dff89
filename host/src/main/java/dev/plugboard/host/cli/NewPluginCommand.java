package dev.plugboard.host.cli;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code plugboard new-plugin NAME}: creates a plugin project; see {@link NewPlugin}. */
@Command(name = "new-plugin", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Create a plugin project in ./NAME from the archetype in sdk/repository (needs Maven: "
                + "PLUGBOARD_MVN or mvn on the PATH).")
final class NewPluginCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", description = "The plugin's name: lower-case letters, digits and hyphens; "
            + "it becomes the folder and the Maven artifactId.")
    String name;

    @Option(names = "--group", paramLabel = "ID", description = "The Maven groupId (default com.example).")
    String group;

    @Option(names = "--package", paramLabel = "NAME", description = "The Java package (default GROUP.NAME).")
    String javaPackage;

    @Override
    public Integer call() {
        Map<String, String> options = new LinkedHashMap<>();
        if (group != null) {
            options.put("group", group);
        }
        if (javaPackage != null) {
            options.put("package", javaPackage);
        }
        try {
            return NewPlugin.run(Main.home(), name, options, System.getenv(), System.err);
        } catch (IOException e) {
            System.err.println("plugboard new-plugin: could not run Maven: " + e.getMessage());
            return Main.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Main.FAILED;
        }
    }
}
