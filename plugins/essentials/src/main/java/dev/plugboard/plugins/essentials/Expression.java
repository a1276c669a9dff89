package dev.plugboard.plugins.essentials;

import java.util.Locale;

/**
 * A recursive-descent evaluator for arithmetic expressions: numbers (with exponents), {@code + - * /
 * %}, {@code ^} (right-associative), unary signs, parentheses, the constants {@code pi} and {@code e},
 * and the functions {@code sqrt abs ln log log2 exp sin cos tan asin acos atan floor ceil round min max
 * pow}.
 */
final class Expression {

    private static final int MAX_LENGTH = 10_000;
    private static final int MAX_DEPTH = 200;

    private final String text;
    private int pos;
    private int depth;

    private Expression(String text) {
        this.text = text;
    }

    /**
     * Evaluates an expression.
     *
     * @throws IllegalArgumentException naming the position of the first error
     */
    static double evaluate(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the expression is empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the expression is longer than " + MAX_LENGTH + " characters");
        }
        Expression e = new Expression(text);
        double value = e.sum();
        e.skipSpaces();
        if (e.pos < text.length()) {
            throw e.error("unexpected '" + text.charAt(e.pos) + "'");
        }
        return value;
    }

    private double sum() {
        double value = product();
        while (true) {
            if (eat('+')) {
                value += product();
            } else if (eat('-')) {
                value -= product();
            } else {
                return value;
            }
        }
    }

    private double product() {
        double value = unary();
        while (true) {
            if (eat('*')) {
                value *= unary();
            } else if (eat('/')) {
                double divisor = unary();
                if (divisor == 0) {
                    throw error("division by zero");
                }
                value /= divisor;
            } else if (eat('%')) {
                double divisor = unary();
                if (divisor == 0) {
                    throw error("modulo by zero");
                }
                value %= divisor;
            } else {
                return value;
            }
        }
    }

    private double unary() {
        enter();
        try {
            if (eat('-')) {
                return -unary();
            }
            if (eat('+')) {
                return unary();
            }
            return power();
        } finally {
            depth--;
        }
    }

    private double power() {
        double base = atom();
        if (eat('^')) {
            return Math.pow(base, unary());
        }
        return base;
    }

    /**
     * Counts one level of recursion. Every nesting (brackets, calls, signs, powers) passes through
     * {@link #unary()}, so counting there bounds the stack.
     */
    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("the expression is nested too deeply");
        }
    }

    private double atom() {
        skipSpaces();
        if (eat('(')) {
            double value = sum();
            expect(')');
            return value;
        }
        if (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            return number();
        }
        if (pos < text.length() && Character.isLetter(text.charAt(pos))) {
            return named();
        }
        throw error(pos < text.length() ? "unexpected '" + text.charAt(pos) + "'" : "unexpected end of expression");
    }

    private double number() {
        int start = pos;
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            pos++;
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')
                && pos + 1 < text.length() && (Character.isDigit(text.charAt(pos + 1))
                        || ((text.charAt(pos + 1) == '-' || text.charAt(pos + 1) == '+') && pos + 2 < text.length()
                                && Character.isDigit(text.charAt(pos + 2))))) {
            pos += 2;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
        }
        try {
            return Double.parseDouble(text.substring(start, pos));
        } catch (NumberFormatException e) {
            pos = start;
            throw error("malformed number '" + text.substring(start, Math.min(text.length(), start + 20)) + "'");
        }
    }

    private double named() {
        int start = pos;
        while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) {
            pos++;
        }
        String name = text.substring(start, pos).toLowerCase(Locale.ROOT);
        switch (name) {
            case "pi":
                return Math.PI;
            case "e":
                return Math.E;
            default:
                break;
        }
        skipSpaces();
        if (!eat('(')) {
            pos = start;
            throw error("unknown name '" + name + "'");
        }
        double a = sum();
        double b = Double.NaN;
        boolean two = eat(',');
        if (two) {
            b = sum();
        }
        expect(')');
        int arity = two ? 2 : 1;
        int wanted = switch (name) {
            case "min", "max", "pow" -> 2;
            case "sqrt", "abs", "ln", "log", "log2", "exp", "sin", "cos", "tan", "asin", "acos", "atan", "floor",
                    "ceil", "round" -> 1;
            default -> {
                pos = start;
                throw error("unknown function '" + name + "'");
            }
        };
        if (arity != wanted) {
            pos = start;
            throw error(name + " takes " + wanted + " argument" + (wanted == 1 ? "" : "s"));
        }
        return switch (name) {
            case "min" -> Math.min(a, b);
            case "max" -> Math.max(a, b);
            case "pow" -> Math.pow(a, b);
            case "sqrt" -> Math.sqrt(a);
            case "abs" -> Math.abs(a);
            case "ln" -> Math.log(a);
            case "log" -> Math.log10(a);
            case "log2" -> log2(a);
            case "exp" -> Math.exp(a);
            case "sin" -> Math.sin(a);
            case "cos" -> Math.cos(a);
            case "tan" -> Math.tan(a);
            case "asin" -> Math.asin(a);
            case "acos" -> Math.acos(a);
            case "atan" -> Math.atan(a);
            case "floor" -> Math.floor(a);
            case "ceil" -> Math.ceil(a);
            default -> round(a);
        };
    }

    /** Rounds half up like {@code Math.round}, without its {@code long} range: NaN and infinities stay. */
    private static double round(double a) {
        return Double.isFinite(a) && Math.abs(a) < 0x1p52 ? (double) Math.round(a) : a;
    }

    /** Base-2 logarithm, exact for powers of two. */
    private static double log2(double a) {
        if (a > 0 && Double.isFinite(a) && a == Math.scalb(1.0, Math.getExponent(a))) {
            return Math.getExponent(a);
        }
        return Math.log(a) / Math.log(2);
    }

    private boolean eat(char c) {
        skipSpaces();
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!eat(c)) {
            throw error("expected '" + c + "'");
        }
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException(message + " at position " + (pos + 1));
    }
}
