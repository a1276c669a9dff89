package dev.plugboard.router.learned;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The semantic cache's guard: decides whether a new prompt asks the same question as a cached one, so
 * that the cached answer may be returned. Close embeddings are not enough (sentence embeddings place
 * "What is 2+2?" and "What is 2+3?", or the same question about Paris and about Lyon, very close
 * together), so a hit also needs the two prompts to carry the same numbers, the same names, the same
 * quoted or code-like literals, the same negations, and the same listed choices in the same order.
 * Immutable and thread-safe.
 */
public final class SemanticMatch {

    /** The cosine similarity a hit needs by default: measured with no false hit in bench/routing. */
    public static final double DEFAULT_MIN_SIMILARITY = 0.95;

    /** Why two prompts were, or were not, taken as the same question. */
    public enum Reason {
        /** Close enough, and nothing that changes the answer differs. */
        SAME,
        /** The embeddings are not close enough. */
        NOT_SIMILAR,
        /** A number differs (digits or number words). */
        NUMBERS_DIFFER,
        /** A name, acronym, quoted text or code-like token is in one prompt only. */
        ENTITIES_DIFFER,
        /** One prompt is negated (not, never, except...) where the other is not. */
        NEGATION_DIFFERS,
        /**
         * Their lists of choices (lines such as {@code A. ...}, {@code (b) ...}, {@code 3) ...}) differ in
         * text or order: an answer that names a choice would be wrong.
         */
        CHOICES_DIFFER
    }

    /**
     * The decision on two prompts.
     *
     * @param same whether the cached answer may be used
     * @param similarity the cosine similarity of their embeddings
     * @param reason why
     */
    public record Decision(boolean same, double similarity, Reason reason) {}

    private static final Pattern NUMBER = Pattern.compile("[-−]?\\d[\\d,]*(?:\\.\\d+)?(?:[eE][-+]?\\d+)?");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'’_-]*");
    private static final Pattern CHOICE = Pattern.compile("(?m)^\\s*\\(?(?:[A-Ha-h]|\\d{1,2})[.)]\\s+(.*?)\\s*$");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]{1,200})\"|“([^”]{1,200})”|`([^`]{1,200})`");
    private static final Map<String, String> NUMBER_WORDS = numberWords();
    private static final Set<String> NEGATIONS = Set.of("not", "no", "never", "none", "neither", "nor", "except",
            "cannot", "can't", "isn't", "aren't", "wasn't", "weren't", "doesn't", "don't", "didn't", "won't",
            "wouldn't", "shouldn't", "couldn't", "without", "false", "incorrect", "least");
    /** Capitalised words that start sentences and questions; they do not name anything. */
    private static final Set<String> COMMON = Set.of("a", "an", "the", "what", "which", "who", "whom", "whose",
            "how", "when", "where", "why", "is", "are", "was", "were", "do", "does", "did", "can", "could",
            "would", "should", "will", "shall", "may", "might", "must", "tell", "please", "explain", "describe",
            "give", "list", "name", "find", "compute", "calculate", "solve", "write", "let", "suppose",
            "consider", "assume", "given", "if", "in", "on", "at", "of", "for", "to", "from", "by", "with",
            "and", "or", "but", "so", "this", "that", "these", "those", "it", "its", "i", "we", "you", "he",
            "she", "they", "my", "our", "your", "his", "her", "their", "there", "here", "answer", "question",
            "statement", "true", "false", "yes", "no", "not", "all", "some", "each", "every", "one", "as",
            "after", "before", "during", "while", "although", "because", "since", "also", "then", "thus",
            "hence", "however", "now", "both", "either", "neither", "many", "most", "much", "more", "less",
            "be", "have", "has", "had", "me", "us", "them", "about", "into", "over", "under", "between");

    private final double minSimilarity;

    /** A guard needing {@code minSimilarity} (0..1] of cosine similarity for a hit. */
    public SemanticMatch(double minSimilarity) {
        if (!(minSimilarity > 0 && minSimilarity <= 1)) {
            throw new IllegalArgumentException("minSimilarity must be within (0, 1], got " + minSimilarity);
        }
        this.minSimilarity = minSimilarity;
    }

    /** A guard with {@link #DEFAULT_MIN_SIMILARITY}. */
    public static SemanticMatch defaults() {
        return new SemanticMatch(DEFAULT_MIN_SIMILARITY);
    }

    /** The cosine similarity a hit needs. */
    public double minSimilarity() {
        return minSimilarity;
    }

    /**
     * Whether prompt {@code b} asks the same question as prompt {@code a}.
     *
     * @param a the first prompt
     * @param aVector its unit-length embedding
     * @param b the second prompt
     * @param bVector its unit-length embedding, as long as {@code aVector}
     */
    public Decision compare(String a, float[] aVector, String b, float[] bVector) {
        if (aVector.length != bVector.length) {
            throw new IllegalArgumentException("vectors of " + aVector.length + " and " + bVector.length + " dimensions");
        }
        double similarity = 0;
        for (int i = 0; i < aVector.length; i++) {
            similarity += aVector[i] * bVector[i];
        }
        Reason reason = similarity < minSimilarity ? Reason.NOT_SIMILAR : literalDifference(a, b);
        return new Decision(reason == Reason.SAME, similarity, reason);
    }

    /**
     * What differs between two prompts that changes their answer whatever their embeddings say:
     * {@link Reason#SAME} when nothing does.
     */
    public static Reason literalDifference(String a, String b) {
        if (!numbers(a).equals(numbers(b))) {
            return Reason.NUMBERS_DIFFER;
        }
        List<String> aWords = words(a);
        List<String> bWords = words(b);
        if (!entitiesFound(a, aWords, bWords) || !entitiesFound(b, bWords, aWords)
                || !quoted(a).equals(quoted(b))) {
            return Reason.ENTITIES_DIFFER;
        }
        if (negations(aWords) != negations(bWords)) {
            return Reason.NEGATION_DIFFERS;
        }
        if (!choices(a).equals(choices(b))) {
            return Reason.CHOICES_DIFFER;
        }
        return Reason.SAME;
    }

    /** The numbers of a text, normalised (thousands separators dropped, number words as digits), sorted. */
    private static List<String> numbers(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = NUMBER.matcher(text);
        while (m.find()) {
            String n = m.group().replace(",", "").replace('−', '-');
            if (n.endsWith(".")) {
                n = n.substring(0, n.length() - 1);
            }
            out.add(n);
        }
        for (String w : words(text)) {
            String digits = NUMBER_WORDS.get(w.toLowerCase(Locale.ROOT));
            if (digits != null) {
                out.add(digits);
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * Whether every word that looks like a name in {@code text} (capitalised and not a common
     * sentence-starting word, an acronym, or a word mixing letters and digits) is among the other
     * prompt's words, ignoring case.
     */
    private static boolean entitiesFound(String text, List<String> words, List<String> otherWords) {
        Set<String> other = new HashSet<>();
        for (String w : otherWords) {
            other.add(w.toLowerCase(Locale.ROOT));
        }
        for (String w : words) {
            String lower = w.toLowerCase(Locale.ROOT);
            boolean nameLike = Character.isUpperCase(w.codePointAt(0)) && !COMMON.contains(lower);
            boolean codeLike = w.chars().anyMatch(Character::isDigit) && w.chars().anyMatch(Character::isLetter);
            if ((nameLike || codeLike) && !other.contains(lower)) {
                return false;
            }
        }
        return true;
    }

    /** The texts of a prompt's listed choices, in order, in lower case with single spaces. */
    private static List<String> choices(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = CHOICE.matcher(text);
        while (m.find()) {
            out.add(m.group(1).toLowerCase(Locale.ROOT).replaceAll("\\s+", " "));
        }
        return out;
    }

    private static Set<String> quoted(String text) {
        Set<String> out = new HashSet<>();
        Matcher m = QUOTED.matcher(text);
        while (m.find()) {
            for (int g = 1; g <= 3; g++) {
                if (m.group(g) != null) {
                    out.add(m.group(g).strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    private static int negations(List<String> words) {
        int n = 0;
        for (String w : words) {
            String lower = w.toLowerCase(Locale.ROOT).replace('’', '\'');
            if (NEGATIONS.contains(lower) || lower.endsWith("n't")) {
                n++;
            }
        }
        return n;
    }

    private static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static Map<String, String> numberWords() {
        String[] small = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
        String[] tens = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
        java.util.HashMap<String, String> out = new java.util.HashMap<>();
        for (int i = 0; i < small.length; i++) {
            out.put(small[i], Integer.toString(i));
        }
        for (int i = 0; i < tens.length; i++) {
            out.put(tens[i], Integer.toString(20 + 10 * i));
        }
        out.put("hundred", "100");
        out.put("thousand", "1000");
        out.put("million", "1000000");
        out.put("billion", "1000000000");
        out.put("half", "0.5");
        out.put("twice", "2");
        out.put("double", "2");
        out.put("triple", "3");
        out.put("first", "1st");
        out.put("second", "2nd");
        out.put("third", "3rd");
        return Map.copyOf(out);
    }
}
