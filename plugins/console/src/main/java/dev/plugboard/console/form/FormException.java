package dev.plugboard.console.form;

/** A form value the console cannot turn into JSON (such as a JSON field that is not JSON); names the field. */
public final class FormException extends Exception {

    private static final long serialVersionUID = 1L;

    FormException(String message) {
        super(message);
    }
}
