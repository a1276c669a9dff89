package dev.plugboard.host.protocol.jsonrpc;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns a JSON reading failure into words for the client: the JSON path of the value at fault and what
 * was expected there, such as {@code params.ref: expected an object}. The words never name a Java
 * class, a library or its settings: a client's mistake is described in terms of the JSON it sent.
 */
public final class DecodingErrors {

    /** What a message meant for a client must never contain. */
    private static final Pattern INTERNAL = Pattern.compile(
            "dev\\.plugboard|com\\.fasterxml|java\\.|jakarta\\.|Exception|\\$[A-Za-z]|StreamReadConstraints|JsonToken"
                    + "|`|\\[Source:");

    private DecodingErrors() {
    }

    /**
     * Describes why a value could not be read.
     *
     * @param failure what the JSON library reported
     * @param root the JSON path of the value that was being read, such as {@code params} or an
     *     argument's name; empty for a whole message
     * @return a sentence for the client, starting with the path of the value at fault
     */
    public static String describe(JsonProcessingException failure, String root) {
        String path = path(failure, root);
        String where = path.isEmpty() ? "" : path + ": ";
        Reason reason = reason(failure);
        return where + (reason.expected() ? "expected " : "") + reason.text();
    }

    /**
     * Describes why a tool, prompt or template argument could not be read, in the words the schema
     * validator uses: {@code 'count' must be an integer within range}.
     *
     * @param failure what the JSON library reported
     * @param name the argument's name
     * @return a sentence for the client
     */
    public static String describeArgument(JsonProcessingException failure, String name) {
        Reason reason = reason(failure);
        return "'" + path(failure, name) + "' " + (reason.expected() ? "must be " : "cannot be read: ") + reason.text();
    }

    /**
     * Why a value could not be read.
     *
     * @param expected whether the text says what was expected instead
     * @param text what was expected, or what went wrong
     */
    private record Reason(boolean expected, String text) {
    }

    /**
     * Describes an input the JSON parser refused: too deep, too long, or not JSON at all.
     *
     * @param failure what the parser reported
     * @return a sentence for the client
     */
    public static String describeParse(JsonProcessingException failure) {
        if (failure instanceof StreamConstraintsException) {
            return limit(failure);
        }
        String message = failure.getOriginalMessage();
        String line = firstLine(message);
        var location = failure.getLocation();
        String at = location == null || location.getLineNr() < 0 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        return line == null || INTERNAL.matcher(line).find() ? "the text is not valid JSON" + at : line + at;
    }

    private static Reason reason(JsonProcessingException failure) {
        if (failure instanceof JsonMappingException m && !(failure instanceof MismatchedInputException)
                && m.getCause() instanceof JsonProcessingException cause) {
            // Reading a record wraps what the parser reported (a number out of range) with the path.
            return reason(cause);
        }
        return switch (failure) {
            case StreamConstraintsException s -> new Reason(false, limit(s));
            case InvalidFormatException f -> new Reason(true, expected(f.getTargetType(), null));
            case MismatchedInputException m -> new Reason(true, expected(m.getTargetType(), m.getOriginalMessage()));
            case InputCoercionException c -> new Reason(true, expected(c.getTargetType(), null) + " within range");
            default -> {
                String line = firstLine(failure.getOriginalMessage());
                yield new Reason(false, line == null || INTERNAL.matcher(line).find() ? "the value cannot be read" : line);
            }
        };
    }

    private static String limit(JsonProcessingException failure) {
        String message = failure.getOriginalMessage() == null ? "" : failure.getOriginalMessage();
        if (message.contains("nesting depth")) {
            return "the JSON is nested too deeply";
        }
        if (message.contains("Number value length")) {
            return "a number has too many digits";
        }
        if (message.contains("String value length") || message.contains("Name length")) {
            return "a string is too long";
        }
        return "the JSON exceeds a size limit";
    }

    /** The JSON path of the value at fault, below the root. */
    private static String path(JsonProcessingException failure, String root) {
        StringBuilder path = new StringBuilder(root);
        List<Object> steps = new ArrayList<>();
        if (failure instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            for (JsonMappingException.Reference ref : m.getPath()) {
                steps.add(ref.getFieldName() != null ? ref.getFieldName() : (Object) ref.getIndex());
            }
        } else if (failure.getProcessor() instanceof JsonParser parser) {
            // The parser still points at the value it could not convert.
            List<Object> reversed = new ArrayList<>();
            for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
                if (c.inObject() && c.getCurrentName() != null) {
                    reversed.add(c.getCurrentName());
                } else if (c.inArray()) {
                    reversed.add(Math.max(0, c.getCurrentIndex()));
                }
            }
            for (int i = reversed.size() - 1; i >= 0; i--) {
                steps.add(reversed.get(i));
            }
        }
        for (Object step : steps) {
            if (step instanceof Integer i) {
                if (i >= 0) {
                    path.append('[').append(i).append(']');
                }
            } else {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(step);
            }
        }
        return path.toString();
    }

    /** What a value of the given Java type looks like in JSON. */
    private static String expected(Class<?> target, String message) {
        if (target == null) {
            String line = firstLine(message);
            return line == null || INTERNAL.matcher(line).find() ? "a different kind of value" : line;
        }
        if (target == String.class || target == CharSequence.class || target == char.class
                || target == Character.class) {
            return "a string";
        }
        if (target == boolean.class || target == Boolean.class) {
            return "true or false";
        }
        if (isInteger(target)) {
            return "an integer";
        }
        if (isNumber(target)) {
            return "a number";
        }
        if (target.isEnum()) {
            return "one of " + Arrays.stream(target.getEnumConstants()).map(Object::toString).toList();
        }
        if (target.isArray() || Collection.class.isAssignableFrom(target)) {
            return "an array";
        }
        if (Temporal.class.isAssignableFrom(target) || TemporalAmount.class.isAssignableFrom(target)) {
            return "a date or time in ISO-8601 form";
        }
        if (target == UUID.class) {
            return "a UUID string";
        }
        if (JsonNode.class.isAssignableFrom(target)) {
            return "a JSON value";
        }
        if (Map.class.isAssignableFrom(target) || target.isRecord() || !target.getName().startsWith("java.")) {
            return "an object";
        }
        return "a different kind of value";
    }

    private static boolean isInteger(Class<?> type) {
        return type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class || type == byte.class || type == Byte.class
                || type == BigInteger.class;
    }

    private static boolean isNumber(Class<?> type) {
        return type != null && (isInteger(type) || type == double.class || type == Double.class
                || type == float.class || type == Float.class || type == BigDecimal.class || type == Number.class);
    }

    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return null;
        }
        int cut = message.indexOf('\n');
        return cut > 0 ? message.substring(0, cut) : message;
    }
}
