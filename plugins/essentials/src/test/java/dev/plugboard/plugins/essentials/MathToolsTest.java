package dev.plugboard.plugins.essentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plugboard.api.tool.ToolException;
import dev.plugboard.plugins.essentials.MathTools.Calculation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MathToolsTest {

    private final MathTools tools = new MathTools();

    @Test
    void returnsTheExpressionAsGivenWithItsValueAndText() {
        assertThat(tools.calculate(" (2 + 3) * 4 ^ 2 ")).isEqualTo(new Calculation(" (2 + 3) * 4 ^ 2 ", 80.0, "80"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
        2 + 3             | 5
        100               | 100
        3.0               | 3
        10 / 4            | 2.5
        -2.50             | -2.5
        1 / 3             | 0.3333333333333333
        0.1 + 0.2         | 0.30000000000000004
        1e21              | 1000000000000000000000
        2 ^ 64            | 18446744073709552000
        1e-7              | 0.0000001
        -1.5e-10          | -0.00000000015
        -0                | 0
        0 * -1            | 0
        sqrt(2) / 2       | 0.7071067811865476
        """)
    void writesTheResultAsPlainDecimalTextWithoutExponentOrTrailingZeros(String expression, String text) {
        Calculation calculation = tools.calculate(expression);

        assertThat(calculation.text()).isEqualTo(text);
        assertThat(Double.parseDouble(calculation.text())).isEqualTo(calculation.result() + 0.0);
    }

    @Test
    void keepsNegativeZeroInTheResultButWritesItAsZero() {
        Calculation calculation = tools.calculate("-0");

        assertThat(calculation.result()).isEqualTo(-0.0);
        assertThat(calculation.text()).isEqualTo("0");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
        sqrt(-1)          | NaN
        asin(2)           | NaN
        ln(-1)            | NaN
        (-8) ^ (1 / 3)    | NaN
        10 ^ 400          | Infinity
        1e308 * 10        | Infinity
        exp(1000)         | Infinity
        -(10 ^ 400)       | -Infinity
        ln(0)             | -Infinity
        1 / 1e-320 * 1e10 | Infinity
        """)
    void rejectsResultsThatAreNotFinite(String expression, String value) {
        assertThatThrownBy(() -> tools.calculate(expression))
                .isInstanceOf(ToolException.class)
                .hasMessage("the expression has no finite value (" + value + ")");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
        2 * x             | unknown name 'x' at position 5
        hypot(3, 4)       | unknown function 'hypot' at position 1
        min(1)            | min takes 2 arguments at position 1
        1.2.3             | malformed number '1.2.3' at position 1
        (1 + 2            | expected ')' at position 7
        '   '             | the expression is empty
        """)
    void wrapsEvaluationErrorsInAToolExceptionThatKeepsTheDetail(String expression, String detail) {
        assertThatThrownBy(() -> tools.calculate(expression))
                .isInstanceOf(ToolException.class)
                .hasMessage("cannot evaluate the expression: " + detail);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
        1 / 0             | division by zero
        7 % (2 - 2)       | modulo by zero
        """)
    void wrapsDivisionByZeroInAToolException(String expression, String detail) {
        assertThatThrownBy(() -> tools.calculate(expression))
                .isInstanceOf(ToolException.class)
                .hasMessageStartingWith("cannot evaluate the expression: " + detail + " at position ");
    }

    @Test
    void wrapsTheLengthLimitInAToolException() {
        assertThatThrownBy(() -> tools.calculate("1".repeat(10_001)))
                .isInstanceOf(ToolException.class)
                .hasMessage("cannot evaluate the expression: the expression is longer than 10000 characters");
    }

    @Test
    void wrapsTheNestingLimitInAToolException() {
        assertThatThrownBy(() -> tools.calculate("(".repeat(300) + "1" + ")".repeat(300)))
                .isInstanceOf(ToolException.class)
                .hasMessageStartingWith("cannot evaluate the expression: the expression is nested too deeply");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"round(1e20)", "round(-1e20)"})
    void roundKeepsValuesBeyondTheLongRange(String expression) {
        assertThat(tools.calculate(expression).result()).isEqualTo(expression.contains("-") ? -1e20 : 1e20);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"round(sqrt(-1))", "round(exp(1000))", "round(-exp(1000))"})
    void roundOfAValueWithoutFiniteValueIsRejected(String expression) {
        assertThatThrownBy(() -> tools.calculate(expression))
                .isInstanceOf(ToolException.class)
                .hasMessageStartingWith("the expression has no finite value");
    }
}
