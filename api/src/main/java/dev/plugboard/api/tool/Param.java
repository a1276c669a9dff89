package dev.plugboard.api.tool;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes a tool parameter or a component of a record used as a parameter.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
public @interface Param {

    /** The argument's name; empty (the default) uses the Java parameter or component name. */
    String name() default "";

    /** What the argument means, its unit and its format where that matters. */
    String description() default "";

    /**
     * The value used when the argument is absent, written as JSON ({@code "3"}, {@code "true"},
     * {@code "[\"a\"]"}) or as a bare string ({@code "UTC"}). A parameter with a default is optional.
     * Empty (the default) means no default.
     */
    String defaultValue() default "";
}
