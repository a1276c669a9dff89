package dev.plugboard.router.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}} (an environment variable) and {@code ${file:path}} (a file's content
 * without trailing line breaks; relative to the config folder) in a config value, the same notation
 * as the host's other config files. The host's own resolver is not exported to plugins, so the
 * router has this one. A reference that cannot be resolved is an error naming it, never its value.
 */
final class SecretRefs {

    private static final Pattern REFERENCE = Pattern.compile("\\$(\\$?)\\{(env|file):([^}]+)}");

    private final Function<String, String> environment;
    private final Path base;

    SecretRefs(Function<String, String> environment, Path base) {
        this.environment = environment;
        this.base = base;
    }

    String resolve(String value) {
        if (value == null || !value.contains("{")) {
            return value;
        }
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (!m.group(1).isEmpty()) {
                replacement = m.group().substring(1);
            } else if (m.group(2).equals("env")) {
                replacement = environment.apply(m.group(3));
                if (replacement == null) {
                    throw new IllegalArgumentException("the environment variable " + m.group(3) + " is not set");
                }
            } else {
                Path path = base.resolve(m.group(3));
                try {
                    replacement = Files.readString(path, StandardCharsets.UTF_8).replaceAll("[\\r\\n]+$", "");
                } catch (IOException e) {
                    throw new IllegalArgumentException("the file " + path + " cannot be read");
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
