package dev.plugboard.api.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves secret references in configuration values, so that tokens and passwords need not be
 * written in clear: {@code ${env:NAME}} is the environment variable {@code NAME}, {@code ${file:path}}
 * the content of a file (trailing line breaks removed; a relative path is resolved against the
 * config folder). A reference may be part of a longer value ({@code Bearer ${env:TOKEN}}). A missing
 * variable or unreadable file is an error naming the reference, never a value. <code>$${</code> writes a
 * literal <code>${</code>.
 */
public final class Secrets {

    private static final Pattern REFERENCE = Pattern.compile("\\$(\\$?)\\{(env|file):([^}]+)}");

    private final Function<String, String> environment;
    private final Path base;

    /**
     * @param environment reads an environment variable (null when unset); {@code System::getenv}
     * @param base the folder relative file references are resolved against
     */
    public Secrets(Function<String, String> environment, Path base) {
        this.environment = environment;
        this.base = base;
    }

    /** Secrets from the process environment and files relative to a config folder. */
    public static Secrets of(Path configDir) {
        return new Secrets(System::getenv, configDir);
    }

    /**
     * The value with every reference replaced.
     *
     * @param value a configuration value, or null
     * @throws IllegalArgumentException naming a reference that cannot be resolved
     */
    public String resolve(String value) {
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
                    throw new IllegalArgumentException("the environment variable " + m.group(3)
                            + " named by ${env:" + m.group(3) + "} is not set");
                }
            } else {
                Path path = base.resolve(m.group(3));
                try {
                    replacement = Files.readString(path, StandardCharsets.UTF_8).replaceAll("[\\r\\n]+$", "");
                } catch (IOException e) {
                    throw new IllegalArgumentException("the file " + path + " named by ${file:" + m.group(3)
                            + "} cannot be read");
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
