package dev.plugboard.api.prompt;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a public method of an {@link dev.plugboard.api.McpProvider} component an MCP prompt.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Prompt {

    /** The prompt's name, unique in the catalogue; empty (the default) uses the method name in snake_case. */
    String name() default "";

    /** A human-readable title; empty for none. */
    String title() default "";

    /** What the prompt is for. */
    String description();
}
