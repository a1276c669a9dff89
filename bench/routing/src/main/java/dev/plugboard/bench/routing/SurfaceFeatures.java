package dev.plugboard.bench.routing;

import java.util.Locale;

/**
 * Features of a prompt's text that a sentence embedding may blur, for the variant study: its length,
 * its share of digits, mathematical signs and capitals, its line count, and its words hashed into a
 * fixed number of buckets.
 */
final class SurfaceFeatures {

    private SurfaceFeatures() {}

    /** Length, digit, sign and capital shares, lines, "Statement 1" questions, on their natural scales. */
    static double[] hand(String prompt) {
        String p = prompt;
        int digits = 0;
        int math = 0;
        int upper = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (Character.isDigit(c)) {
                digits++;
            } else if ("=+*/^<>()|√∫∑π%".indexOf(c) >= 0) {
                math++;
            } else if (Character.isUpperCase(c)) {
                upper++;
            }
        }
        double n = Math.max(1, p.length());
        long lines = p.lines().count();
        int options = p.indexOf("\nA.");
        double stem = options < 0 ? p.length() : options;
        return new double[] {Math.log1p(p.length()), Math.log1p(stem), digits / n, math / n, upper / n, Math.log1p(lines),
            p.contains("Statement 1") ? 1 : 0, Math.log1p(digits), Math.log1p(math)};
    }

    /** The prompt's distinct lower-case words, hashed into {@code size} buckets, scaled to a length of 0.5. */
    static float[] hashedWords(String prompt, int size) {
        float[] out = new float[size];
        String[] words = prompt.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+");
        int count = 0;
        for (String w : words) {
            if (w.isEmpty()) {
                continue;
            }
            int h = Math.floorMod(w.hashCode() * 0x9E3779B9, size);
            if (out[h] == 0) {
                count++;
            }
            out[h] = 1;
        }
        float scale = count == 0 ? 0 : (float) (0.5 / Math.sqrt(count));
        for (int i = 0; i < size; i++) {
            out[i] *= scale;
        }
        return out;
    }
}
