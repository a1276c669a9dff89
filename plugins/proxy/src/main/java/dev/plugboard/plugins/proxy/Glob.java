package dev.plugboard.plugins.proxy;

/** Tool-name globs: {@code *} matches any run of characters, {@code ?} exactly one; nothing else is special. */
final class Glob {

    private Glob() {
    }

    static boolean matches(String glob, String name) {
        return matches(glob, 0, name, 0);
    }

    private static boolean matches(String glob, int g, String name, int n) {
        while (g < glob.length()) {
            char c = glob.charAt(g);
            if (c == '*') {
                for (int i = n; i <= name.length(); i++) {
                    if (matches(glob, g + 1, name, i)) {
                        return true;
                    }
                }
                return false;
            }
            if (n >= name.length() || (c != '?' && c != name.charAt(n))) {
                return false;
            }
            g++;
            n++;
        }
        return n == name.length();
    }
}
