package dev.plugboard.console.form;

import java.util.List;

/**
 * One control of a form generated from a JSON Schema, for the templates.
 *
 * @param name the form field's name: a JSON pointer into the arguments, with {@code |i} after a pointer
 *     where branch {@code i} of an {@code anyOf}/{@code oneOf} was chosen; a choice's radio buttons are
 *     named {@code name#}
 * @param label what the label says (the property's name, or a branch's title)
 * @param kind which control
 * @param required whether the schema requires the property
 * @param description the schema's description, or empty
 * @param value the initial value (the schema's default), or empty
 * @param options the choices of an {@link Kind#ENUM} (their JSON text), or the labels of a {@link Kind#CHOICE}'s
 *     branches
 * @param children an object's properties, or a choice's branches (one field each)
 */
public record Field(String name, String label, Kind kind, boolean required, String description, String value,
        List<String> options, List<Field> children) {

    /** The control a schema becomes. */
    public enum Kind {
        /** A text input. */
        STRING,
        /** A number input that takes fractions. */
        NUMBER,
        /** A whole-number input. */
        INTEGER,
        /** A select of unset, true and false. */
        BOOLEAN,
        /** A select of the schema's {@code enum} (or {@code const}) values. */
        ENUM,
        /** A fieldset of the properties. */
        OBJECT,
        /** A text area holding one array item per line (arrays of strings, numbers or booleans). */
        LINES,
        /** A text area of JSON: whatever has no better control. */
        JSON,
        /** Radio buttons picking one branch of an {@code anyOf}/{@code oneOf}, each branch a fieldset. */
        CHOICE
    }

    /** An id for the control, usable in HTML {@code id} and {@code for} attributes. */
    public String id() {
        StringBuilder id = new StringBuilder("f");
        for (char c : name.toCharArray()) {
            id.append(Character.isLetterOrDigit(c) ? String.valueOf(c) : "_" + (int) c + "_");
        }
        return id.toString();
    }

    /** The id of the description, for {@code aria-describedby}. */
    public String hintId() {
        return id() + "-hint";
    }
}
