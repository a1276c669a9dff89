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

    /**
     * Mirrors this argument into the HTTP header {@code Mcp-Param-<header>} of a {@code tools/call}
     * (the {@code x-mcp-header} schema annotation of the 2026-07-28 revision), so that load
     * balancers and gateways can route on it without reading the body. Clients send the header; the
     * host rejects a call whose header is missing or differs from the argument. Empty (the default)
     * means no header.
     *
     * <p>Only for strings, enums, integers and booleans reached through parameters and record
     * components (not through lists or maps); a token of letters, digits and {@code !#$%&'*+-.^_`|~},
     * unique within the tool ignoring case. A tool that breaks these rules is not offered, and the
     * bundle's status says why. Never mirror secrets or personal data: intermediaries see headers.
     */
    String header() default "";
}
