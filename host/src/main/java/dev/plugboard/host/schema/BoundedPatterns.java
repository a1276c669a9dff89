package dev.plugboard.host.schema;

import com.networknt.schema.SchemaException;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The schema's {@code pattern} and {@code patternProperties} with bounded work: the Java regular
 * expression engine backtracks, so a hostile pattern (or a plain one on a hostile string) could run
 * for minutes. All the matches of one check (see {@link #metered}) may read their texts at most
 * {@link #MAX_READS} times in all; past that the check stops with {@link TooCostly}. Patterns longer than {@link #MAX_PATTERN_LENGTH} or that do not compile are not
 * checked, as before: a tool's broken pattern is not the caller's mistake.
 */
final class BoundedPatterns implements RegularExpressionFactory {

    static final int MAX_PATTERN_LENGTH = 2_000;
    static final long MAX_READS = 2_000_000;

    private static final RegularExpression UNCHECKED = text -> true;
    private static final ThreadLocal<long[]> READS_LEFT = new ThreadLocal<>();

    /**
     * A match that needed more work than allowed. A schema exception to the library, which passes those
     * on without logging them: it is the caller's value, not a fault.
     */
    static final class TooCostly extends SchemaException {

        private static final long serialVersionUID = 1L;

        TooCostly() {
            super("pattern match too costly");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** Runs one check with one budget of reads for all its matches. */
    static <T> T metered(Supplier<T> check) {
        READS_LEFT.set(new long[] {MAX_READS});
        try {
            return check.get();
        } finally {
            READS_LEFT.remove();
        }
    }

    @Override
    public RegularExpression getRegularExpression(String regex) {
        if (regex.length() > MAX_PATTERN_LENGTH) {
            return UNCHECKED;
        }
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            return UNCHECKED;
        }
        return text -> {
            try {
                return pattern.matcher(new Counted(text)).find();
            } catch (StackOverflowError e) {
                throw new TooCostly();
            }
        };
    }

    /** The text, counting how often the engine reads it. */
    private static final class Counted implements CharSequence {

        private final String text;
        private final long[] readsLeft;

        Counted(String text) {
            this.text = text;
            long[] metered = READS_LEFT.get();
            this.readsLeft = metered != null ? metered : new long[] {MAX_READS};
        }

        @Override
        public char charAt(int index) {
            if (--readsLeft[0] < 0) {
                throw new TooCostly();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
