package dev.plugboard.host.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** How arguments become Java values: blanks, huge numbers and values of the wrong form. */
class ArgumentBindingTest {

    private static final Pattern INTERNAL = Pattern.compile(
            "dev\\.plugboard|com\\.fasterxml|java\\.|jakarta\\.|Exception|\\$[A-Z]|StreamReadConstraints|JsonToken");

    /** A component whose method records what it was given. */
    public static final class Component {
        /** What the last call received. */
        public List<Object> received;

        /** The method bound in these tests. */
        public String take(LocalDate start, Optional<LocalDate> end, String text, Optional<String> note, int count,
                Optional<Unit> unit) {
            received = Arrays.asList(start, end, text, note, count, unit);
            return "ok";
        }

        /** A method whose argument is one character. */
        public String separate(char separator) {
            received = List.of(separator);
            return "ok";
        }
    }

    /** An enum argument. */
    public enum Unit { DAYS, WEEKS }

    private final ObjectMapper mapper = new JsonRpcCodec().mapper();
    private final Component component = new Component();
    private final BoundMethod method;

    ArgumentBindingTest() throws Exception {
        method = BoundMethod.of(component, Component.class.getMethod("take", LocalDate.class, Optional.class,
                String.class, Optional.class, int.class, Optional.class), mapper);
    }

    private void call(String arguments) throws Exception {
        method.invoke((ObjectNode) mapper.readTree(arguments), null);
    }

    private String refusal(String arguments) {
        try {
            call(arguments);
        } catch (McpException e) {
            assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
            assertThat(e.getMessage()).doesNotContainPattern(INTERNAL);
            return e.getMessage();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted: " + arguments);
    }

    @Test
    void blankTextIsAValueForTextParameters() throws Exception {
        call("{\"start\":\"2026-01-01\",\"text\":\"\",\"note\":\"  \",\"count\":1}");
        assertThat(component.received).containsExactly(LocalDate.of(2026, 1, 1), Optional.empty(), "",
                Optional.of("  "), 1, Optional.empty());
    }

    @Test
    void aSpaceIsACharacter() throws Exception {
        BoundMethod separate = BoundMethod.of(component, Component.class.getMethod("separate", char.class), mapper);
        separate.invoke((ObjectNode) mapper.readTree("{\"separator\":\" \"}"), null);
        assertThat(component.received).containsExactly(' ');
    }

    @Test
    void blankStringsForValuesReadFromTextAreRefusedRequiredOrNot() {
        assertThat(refusal("{\"start\":\"\",\"text\":\"t\",\"count\":1}"))
                .isEqualTo("Invalid arguments: 'start' must not be blank");
        assertThat(refusal("{\"start\":\" \\t\",\"text\":\"t\",\"count\":1}"))
                .isEqualTo("Invalid arguments: 'start' must not be blank");
        assertThat(refusal("{\"start\":\"2026-01-01\",\"end\":\"\",\"text\":\"t\",\"count\":1}"))
                .isEqualTo("Invalid arguments: 'end' must not be blank");
        assertThat(refusal("{\"start\":\"2026-01-01\",\"unit\":\" \",\"text\":\"t\",\"count\":1}"))
                .isEqualTo("Invalid arguments: 'unit' must not be blank");
    }

    @Test
    void absentRequiredArgumentsAreRefusedAndNullMeansAbsent() throws Exception {
        assertThat(refusal("{\"text\":\"t\",\"count\":1}")).isEqualTo("Invalid arguments: 'start' is required");
        assertThat(refusal("{\"start\":null,\"text\":\"t\",\"count\":1}")).isEqualTo("Invalid arguments: 'start' is required");
        call("{\"start\":\"2026-01-01\",\"end\":null,\"text\":\"t\",\"count\":1}");
        assertThat(component.received.get(1)).isEqualTo(Optional.empty());
    }

    @Test
    void valuesOfTheWrongFormSayWhatWasExpected() {
        assertThat(refusal("{\"start\":\"2026-13-45\",\"text\":\"t\",\"count\":1}"))
                .isEqualTo("Invalid arguments: 'start' must be a date or time in ISO-8601 form");
        assertThat(refusal("{\"start\":\"2026-01-01\",\"text\":\"t\",\"count\":1e300}"))
                .isEqualTo("Invalid arguments: 'count' must be an integer within range");
        assertThat(refusal("{\"start\":\"2026-01-01\",\"text\":\"t\",\"count\":9223372036854775808}"))
                .isEqualTo("Invalid arguments: 'count' must be an integer within range");
        assertThat(refusal("{\"start\":\"2026-01-01\",\"text\":\"t\",\"count\":1,\"unit\":\"YEARS\"}"))
                .isEqualTo("Invalid arguments: 'unit' must be one of [DAYS, WEEKS]");
        assertThat(refusal("{\"start\":\"2026-01-01\",\"text\":{\"a\":1},\"count\":1}"))
                .isEqualTo("Invalid arguments: 'text' must be a string");
    }

    @Test
    void theRefusalOfOneArgumentStopsTheCallBeforeThePlugin() {
        assertThatThrownBy(() -> call("{\"start\":\"\",\"text\":\"t\",\"count\":1}")).isInstanceOf(McpException.class);
        assertThat(component.received).isNull();
    }
}
