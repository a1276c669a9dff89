package dev.plugboard.plugins.essentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ExpressionTest {

    private static final double EPSILON = 1e-12;

    @Nested
    class Operators {

        @ParameterizedTest(name = "{0} = {1}")
        @CsvSource(delimiter = '|', textBlock = """
            1 + 2 * 3         | 7
            (1 + 2) * 3       | 9
            2 * 3 + 4 * 5     | 26
            10 - 4 - 3        | 3
            100 / 10 / 5      | 2
            2 * 3 ^ 2         | 18
            2 ^ 3 * 2         | 16
            1 + 2 * 3 % 4     | 3
            7 % 3             | 1
            5.5 % 2           | 1.5
            -7 % 3            | -1
            8 / 2 * 4         | 16
            ((((3))))         | 3
            """)
        void appliesPrecedenceAndLeftAssociativity(String expression, double expected) {
            assertThat(Expression.evaluate(expression)).isCloseTo(expected, within(EPSILON));
        }

        @ParameterizedTest(name = "{0} = {1}")
        @CsvSource(delimiter = '|', textBlock = """
            2 ^ 3 ^ 2         | 512
            (2 ^ 3) ^ 2       | 64
            2 ^ 2 ^ 2 ^ 2     | 65536
            4 ^ 0.5           | 2
            2 ^ -1            | 0.5
            2 ^ -1 ^ 2        | 0.5
            """)
        void powerIsRightAssociative(String expression, double expected) {
            assertThat(Expression.evaluate(expression)).isCloseTo(expected, within(EPSILON));
        }

        @ParameterizedTest(name = "{0} = {1}")
        @CsvSource(delimiter = '|', textBlock = """
            -3                | -3
            +4                | 4
            --3               | 3
            -+-3              | 3
            2 - -3            | 5
            2 * -3            | -6
            6 / -2            | -3
            -(1 + 2)          | -3
            -2 ^ 2            | -4
            (-2) ^ 2          | 4
            -2 ^ -2           | -0.25
            2 ^ -2 * 4        | 1
            - 5 + 10          | 5
            """)
        void unaryMinusBindsLooserThanPowerButTighterThanProducts(String expression, double expected) {
            assertThat(Expression.evaluate(expression)).isCloseTo(expected, within(EPSILON));
        }

        @Test
        void ignoresAnyWhitespaceBetweenTokens() {
            assertThat(Expression.evaluate(" \t( 1\n+\r\n2 )*\t3  ")).isEqualTo(9.0);
        }

        @Test
        void divisionIsFloatingPoint() {
            assertThat(Expression.evaluate("7 / 2")).isEqualTo(3.5);
        }
    }

    @Nested
    class Numbers {

        @ParameterizedTest(name = "{0} = {1}")
        @CsvSource(delimiter = '|', textBlock = """
            42                | 42
            3.25              | 3.25
            .5                | 0.5
            1.                | 1
            007               | 7
            1.5e3             | 1500
            1.5E3             | 1500
            2e-2              | 0.02
            1e+2              | 100
            2e0               | 2
            """)
        void readsDecimalAndExponentNotation(String expression, double expected) {
            assertThat(Expression.evaluate(expression)).isCloseTo(expected, within(EPSILON));
        }

        @Test
        void anExponentNeedsDigitsSoATrailingEIsNotPartOfTheNumber() {
            assertThatThrownBy(() -> Expression.evaluate("2e"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unexpected 'e' at position 2");
            assertThatThrownBy(() -> Expression.evaluate("2e+"))
                    .hasMessage("unexpected 'e' at position 2");
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
            1.2.3             | malformed number '1.2.3' at position 1
            .                 | malformed number '.' at position 1
            2 + 1..5          | malformed number '1..5' at position 5
            \u0663            | malformed number '\u0663' at position 1
            \uff11\uff12      | malformed number '\uff11\uff12' at position 1
            """)
        void reportsMalformedNumbersWithTheirPosition(String expression, String message) {
            assertThatThrownBy(() -> Expression.evaluate(expression))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(message);
        }

        @Test
        void quotesAtMostTwentyCharactersOfAMalformedNumber() {
            String number = "1." + "2".repeat(30) + ".3";

            assertThatThrownBy(() -> Expression.evaluate(number))
                    .hasMessage("malformed number '" + number.substring(0, 20) + "' at position 1");
        }
    }

    @Nested
    class FunctionsAndConstants {

        @ParameterizedTest(name = "{0} = {1}")
        @CsvSource(delimiter = '|', textBlock = """
            pi                | 3.141592653589793
            e                 | 2.718281828459045
            PI                | 3.141592653589793
            2 * pi            | 6.283185307179586
            e ^ 2             | 7.38905609893065
            sqrt(16)          | 4
            abs(-3.5)         | 3.5
            ln(e)             | 1
            log(1000)         | 3
            log2(8)           | 3
            log2(1024)        | 10
            exp(0)            | 1
            exp(1)            | 2.718281828459045
            sin(0)            | 0
            sin(pi / 2)       | 1
            cos(0)            | 1
            cos(pi)           | -1
            tan(pi / 4)       | 1
            asin(1)           | 1.5707963267948966
            acos(1)           | 0
            atan(1) * 4       | 3.141592653589793
            floor(2.7)        | 2
            floor(-2.5)       | -3
            ceil(2.1)         | 3
            ceil(-2.5)        | -2
            round(2.5)        | 3
            round(-2.5)       | -2
            round(2.4)        | 2
            min(3, -1)        | -1
            max(3, -1)        | 3
            pow(2, 10)        | 1024
            SQRT(4)           | 2
            sqrt (9)          | 3
            sqrt(sqrt(16))    | 2
            max(min(1, 2), 0) | 1
            min(2 + 3, 4 * 2) | 5
            -sqrt(4) ^ 2      | -4
            sqrt(4) ^ 2       | 4
            """)
        void evaluatesEveryDocumentedFunctionAndConstant(String expression, double expected) {
            assertThat(Expression.evaluate(expression)).isCloseTo(expected, within(EPSILON));
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
            min(1)            | min takes 2 arguments at position 1
            max(5)            | max takes 2 arguments at position 1
            pow(2)            | pow takes 2 arguments at position 1
            sqrt(1, 2)        | sqrt takes 1 argument at position 1
            2 + round(1, 2)   | round takes 1 argument at position 5
            log(10, 100)      | log takes 1 argument at position 1
            max(1, 2, 3)      | expected ')' at position 9
            sqrt()            | unexpected ')' at position 6
            min(, 1)          | unexpected ',' at position 5
            """)
        void reportsWrongArityWithTheFunctionsPosition(String expression, String message) {
            assertThatThrownBy(() -> Expression.evaluate(expression))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(message);
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
            foo               | unknown name 'foo' at position 1
            2 * x             | unknown name 'x' at position 5
            Foo               | unknown name 'foo' at position 1
            pie               | unknown name 'pie' at position 1
            \u03c0            | unknown name '\u03c0' at position 1
            foo(1)            | unknown function 'foo' at position 1
            1 + cosh(0)       | unknown function 'cosh' at position 5
            """)
        void reportsUnknownNamesAndFunctions(String expression, String message) {
            assertThatThrownBy(() -> Expression.evaluate(expression))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(message);
        }

        @Test
        void constantsCannotBeCalledLikeFunctions() {
            assertThatThrownBy(() -> Expression.evaluate("pi(2)"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("unexpected '(' at position 3");
        }

        @ParameterizedTest(name = "log2(2^{0}) = {0}")
        @ValueSource(ints = {29, 31, 39, 47, 62})
        void log2OfAnExactPowerOfTwoIsExact(int exponent) {
            assertThat(Expression.evaluate("log2(2 ^ " + exponent + ")")).isEqualTo(exponent);
        }
    }

    @Nested
    class Errors {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
            1 / 0             | division by zero
            1 / (2 - 2)       | division by zero
            1 / -0            | division by zero
            0 / 0             | division by zero
            1 / 1e-400        | division by zero
            1 % 0             | modulo by zero
            5 % (3 - 3)       | modulo by zero
            """)
        void rejectsDivisionAndModuloByZero(String expression, String message) {
            assertThatThrownBy(() -> Expression.evaluate(expression))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(message + " at position ");
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
            1 +               | unexpected end of expression at position 4
            (1 + 2            | expected ')' at position 7
            2 3               | unexpected '3' at position 3
            ()                | unexpected ')' at position 2
            1)                | unexpected ')' at position 2
            1 + * 2           | unexpected '*' at position 5
            2pi               | unexpected 'p' at position 2
            3!                | unexpected '!' at position 2
            1 = 1             | unexpected '=' at position 3
            2 ** 3            | unexpected '*' at position 4
            """)
        void reportsSyntaxErrorsWithTheirOneBasedPosition(String expression, String message) {
            assertThatThrownBy(() -> Expression.evaluate(expression))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(message);
        }

        @ParameterizedTest(name = "[{0}]")
        @NullAndEmptySource
        @ValueSource(strings = {"   ", "\t\n"})
        void rejectsAnEmptyExpression(String expression) {
            assertThatThrownBy(() -> Expression.evaluate(expression))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the expression is empty");
        }
    }

    @Nested
    class Limits {

        @Test
        void acceptsAnExpressionOfExactlyTenThousandCharacters() {
            String expression = "1" + "+1".repeat(4999) + " ";
            assertThat(expression).hasSize(10_000);

            assertThat(Expression.evaluate(expression)).isEqualTo(5000.0);
        }

        @Test
        void rejectsAnExpressionLongerThanTenThousandCharacters() {
            String expression = "1" + "+1".repeat(5000);
            assertThat(expression).hasSize(10_001);

            assertThatThrownBy(() -> Expression.evaluate(expression))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the expression is longer than 10000 characters");
        }

        @Test
        void acceptsModeratelyNestedParentheses() {
            assertThat(Expression.evaluate("(".repeat(150) + "7" + ")".repeat(150))).isEqualTo(7.0);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"(", "-(", "abs(", "max(1, "})
        void rejectsNestingDeeperThanTheLimit(String opener) {
            String expression = opener.repeat(250) + "1" + ")".repeat(250);

            assertThatThrownBy(() -> Expression.evaluate(expression))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("the expression is nested too deeply at position ");
        }

        @Test
        void theNestingLimitKeepsDeepParenthesesWithinASmallStack() throws InterruptedException {
            String expression = "(".repeat(5000);

            assertThat(onSmallStack(expression))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("the expression is nested too deeply");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"power", "unary"})
        void longOperatorChainsNeverOverflowTheStack(String kind) throws InterruptedException {
            String expression = kind.equals("power") ? "1" + "^1".repeat(4999) : "-".repeat(9999) + "1";

            Throwable outcome = onSmallStack(expression);

            assertThat(outcome).satisfiesAnyOf(
                    t -> assertThat(t).isNull(),
                    t -> assertThat(t).isInstanceOf(IllegalArgumentException.class));
        }

        /** Evaluates on a thread with a 256 KiB stack; returns what it threw, or null. */
        private static Throwable onSmallStack(String expression) throws InterruptedException {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread thread = new Thread(null, () -> {
                try {
                    Expression.evaluate(expression);
                } catch (Throwable t) {
                    thrown.set(t);
                }
            }, "small-stack", 256 * 1024);
            thread.start();
            thread.join();
            return thrown.get();
        }
    }
}
