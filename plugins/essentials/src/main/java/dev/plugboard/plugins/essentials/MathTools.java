package dev.plugboard.plugins.essentials;

import dev.plugboard.api.McpProvider;
import dev.plugboard.api.tool.Param;
import dev.plugboard.api.tool.Tool;
import dev.plugboard.api.tool.ToolException;
import java.math.BigDecimal;
import org.osgi.service.component.annotations.Component;

/**
 * Arithmetic.
 */
@Component(service = MathTools.class)
@McpProvider
public class MathTools {

    /**
     * The value of an expression.
     *
     * @param expression the expression as given
     * @param result its value
     * @param text the value as plain decimal text, without exponent or trailing zeros
     */
    public record Calculation(String expression, double result, String text) {
    }

    @Tool(title = "Calculator", description = "Evaluates an arithmetic expression exactly as a calculator would: "
            + "+ - * / % and ^ (power), parentheses, the constants pi and e, and the functions sqrt, abs, ln, log "
            + "(base 10), log2, exp, sin, cos, tan, asin, acos, atan (radians), floor, ceil, round, min, max, pow.",
            readOnly = true, idempotent = true, openWorld = false)
    public Calculation calculate(@Param(description = "The expression, such as (2 + 3) * 4 ^ 2 or sqrt(2) / 2")
            String expression) {
        double value;
        try {
            value = Expression.evaluate(expression);
        } catch (IllegalArgumentException e) {
            throw new ToolException("cannot evaluate the expression: " + e.getMessage());
        }
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new ToolException("the expression has no finite value (" + value + ")");
        }
        return new Calculation(expression, value, BigDecimal.valueOf(value).stripTrailingZeros().toPlainString());
    }
}
