package dev.plugboard.console.complete;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One argument of a prompt, or one variable of a resource template, as a text control whose suggestions
 * come from the host's argument completion while the user types.
 *
 * @param name the argument's name
 * @param description what it is for, or empty
 * @param required whether the prompt requires it
 * @param value the value the control starts with, or empty
 */
public record Argument(String name, String description, boolean required, String value) {

    /** The prefix of the form fields that hold arguments: {@code a.<name>}. */
    public static final String FIELD_PREFIX = "a.";

    /** The form field's name. */
    public String field() {
        return FIELD_PREFIX + name;
    }

    /** An id for the control, usable in HTML {@code id} and {@code for} attributes. */
    public String id() {
        return idOf(name);
    }

    /** The id of the control's {@code datalist} of suggestions. */
    public String listId() {
        return id() + "-options";
    }

    /** The id of the description, for {@code aria-describedby}. */
    public String hintId() {
        return id() + "-hint";
    }

    /** The htmx {@code hx-vals} naming this argument in a completion request (JSON). */
    public String completionValues() {
        StringBuilder json = new StringBuilder("{\"_argument\":\"");
        for (char c : name.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append("\"}").toString();
    }

    /** The id of the control of the argument with this name. */
    public static String idOf(String name) {
        StringBuilder id = new StringBuilder("arg-");
        for (char c : name.toCharArray()) {
            id.append(Character.isLetterOrDigit(c) && c < 128 ? String.valueOf(c) : "_" + (int) c + "_");
        }
        return id.toString();
    }

    /** The arguments a form holds ({@code a.<name>} fields), empty ones left out, in the form's order. */
    public static Map<String, String> given(Map<String, List<String>> form) {
        Map<String, String> values = new LinkedHashMap<>();
        form.forEach((key, list) -> {
            if (key.startsWith(FIELD_PREFIX) && list != null && !list.isEmpty() && !list.get(0).isEmpty()) {
                values.put(key.substring(FIELD_PREFIX.length()), list.get(0));
            }
        });
        return values;
    }

    /** The same arguments with the values of a form filled in. */
    public static List<Argument> filled(List<Argument> arguments, Map<String, String> values) {
        List<Argument> filled = new ArrayList<>();
        for (Argument a : arguments) {
            filled.add(new Argument(a.name(), a.description(), a.required(), values.getOrDefault(a.name(), a.value())));
        }
        return filled;
    }
}
