package dev.plugboard.api.completion;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Completes one argument of a prompt, or one variable of a resource template, of the same
 * component. Exactly one of {@link #prompt()} and {@link #resourceTemplate()} is set.
 *
 * <p>The method takes the partial value ({@code String}) and optionally the other arguments
 * already given ({@code Map<String, String>}), and returns the candidates
 * ({@code Collection<String>}), best first. The host sends the first 100.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Completion {

    /** The name of the prompt whose argument this completes. */
    String prompt() default "";

    /** The URI template whose variable this completes. */
    String resourceTemplate() default "";

    /** The argument or variable name. */
    String argument();
}
