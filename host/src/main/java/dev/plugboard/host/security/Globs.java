package dev.plugboard.host.security;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Name patterns a right covers: {@code *} matches any run of characters (dots included), {@code ?}
 * one character, anything else itself. {@code essentials.*} covers every tool whose name starts with
 * {@code essentials.}; {@code *} covers everything.
 *
 * @param patterns the patterns as written
 */
public record Globs(List<String> patterns) {

    /** Covers every name. */
    public static final Globs ALL = new Globs(List.of("*"));
    /** Covers no name. */
    public static final Globs NONE = new Globs(List.of());

    /** Checks and copies the patterns. */
    public Globs {
        patterns = List.copyOf(patterns);
        for (String p : patterns) {
            if (p.isBlank()) {
                throw new IllegalArgumentException("a name pattern must not be blank");
            }
        }
    }

    /** Whether every name is covered. */
    public boolean all() {
        return patterns.contains("*");
    }

    /** Whether a name is covered. */
    public boolean covers(String name) {
        if (name == null) {
            return false;
        }
        for (String p : patterns) {
            if (matches(p, name)) {
                return true;
            }
        }
        return false;
    }

    /** Glob matching without regular expressions: linear back-tracking on the last star. */
    static boolean matches(String pattern, String name) {
        int p = 0;
        int n = 0;
        int star = -1;
        int mark = 0;
        while (n < name.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == name.charAt(n))) {
                p++;
                n++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = n;
            } else if (star >= 0) {
                p = star + 1;
                n = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** The patterns of a comma-separated text. */
    static Globs parse(String commaSeparated) {
        return new Globs(Pattern.compile("\\s*,\\s*").splitAsStream(commaSeparated.strip())
                .filter(s -> !s.isEmpty()).toList());
    }

    @Override
    public String toString() {
        return String.join(",", patterns);
    }
}
