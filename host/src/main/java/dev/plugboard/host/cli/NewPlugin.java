package dev.plugboard.host.cli;

import dev.plugboard.host.Plugboard;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code plugboard new-plugin NAME}: creates a plugin project in {@code ./NAME} with Maven's
 * archetype plugin and the archetype from the distribution's {@code sdk/repository}, which the
 * project's POM then names, so that it builds without network for Plugboard's own artifacts.
 */
final class NewPlugin {

    /** The archetype plugin version, the one the distribution's repository was built and tested with. */
    static final String ARCHETYPE_PLUGIN = "org.apache.maven.plugins:maven-archetype-plugin:3.3.1:generate";

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final Pattern PACKAGE = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*");

    private NewPlugin() {
    }

    /** Runs the command; returns the exit code. */
    static int run(Path home, String name, Map<String, String> options, Map<String, String> env, PrintStream err)
            throws IOException, InterruptedException {
        if (!NAME.matcher(name).matches()) {
            err.println("plugboard new-plugin: '" + name + "' is not a usable name: use lower-case letters, digits and "
                    + "hyphens, starting with a letter (it becomes the Maven artifactId and the folder name)");
            return 2;
        }
        String group = options.getOrDefault("group", "com.example");
        String pkg = options.getOrDefault("package", group + "." + name.replace("-", ""));
        if (!PACKAGE.matcher(pkg).matches() || !PACKAGE.matcher(group).matches()) {
            err.println("plugboard new-plugin: '" + (PACKAGE.matcher(group).matches() ? pkg : group)
                    + "' is not a Java package name (lower-case words joined by dots)");
            return 2;
        }
        if (Files.exists(Path.of(name))) {
            err.println("plugboard new-plugin: " + Path.of(name).toAbsolutePath() + " exists already; choose another name "
                    + "or run the command in another folder");
            return 2;
        }
        Path sdk = home.resolve("sdk");
        Path repository = sdk.resolve("repository");
        if (!Files.isDirectory(repository)) {
            err.println("plugboard new-plugin: this distribution has no " + repository + "; it is built by ./mvnw package");
            return 1;
        }
        Optional<Path> mvn = findMaven(env);
        if (mvn.isEmpty() && env.get("PLUGBOARD_MVN") != null && !env.get("PLUGBOARD_MVN").isBlank()) {
            err.println("plugboard new-plugin: PLUGBOARD_MVN is " + env.get("PLUGBOARD_MVN")
                    + ", which is not an executable file; point it at Maven's bin/mvn");
            return 1;
        }
        if (mvn.isEmpty()) {
            err.println("plugboard new-plugin: Maven was not found. Install Maven 3.8 or newer (https://maven.apache.org) "
                    + "and put mvn on the PATH, or set PLUGBOARD_MVN to the mvn executable.");
            return 1;
        }
        String repositoryUrl = repository.toUri().toString();
        List<String> command = new ArrayList<>(List.of(mvn.get().toString(), "-B",
                "-gs", sdk.resolve("settings.xml").toString(),
                "-Dplugboard.repository=" + repositoryUrl,
                ARCHETYPE_PLUGIN,
                "-DarchetypeGroupId=dev.plugboard",
                "-DarchetypeArtifactId=plugboard-plugin-archetype",
                "-DarchetypeVersion=" + Plugboard.version(),
                "-DgroupId=" + group,
                "-DartifactId=" + name,
                "-Dversion=1.0.0",
                "-Dpackage=" + pkg,
                "-DplugboardRepository=" + repositoryUrl));
        err.println("plugboard new-plugin: " + String.join(" ", command));
        Process maven = new ProcessBuilder(command).inheritIO().start();
        int code = maven.waitFor();
        if (code != 0) {
            err.println("plugboard new-plugin: Maven failed (exit code " + code + "); its output above says why");
            return 1;
        }
        err.println("""
                plugboard new-plugin: created %1$s/. Next:
                  cd %1$s && mvn package
                  %2$s check-bundle target/%1$s-1.0.0.jar
                  cp target/%1$s-1.0.0.jar %3$s/""".formatted(name, home.resolve("bin/plugboard"), home.resolve("bundles")));
        return 0;
    }

    /** PLUGBOARD_MVN, else mvn on the PATH. */
    static Optional<Path> findMaven(Map<String, String> env) {
        String given = env.get("PLUGBOARD_MVN");
        if (given != null && !given.isBlank()) {
            return Optional.of(Path.of(given)).filter(Files::isExecutable);
        }
        String executable = System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows") ? "mvn.cmd" : "mvn";
        for (String dir : env.getOrDefault("PATH", "").split(Pattern.quote(File.pathSeparator))) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, executable);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
