package dev.plugboard.api.resource;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Serves every resource whose URI matches a template (RFC 6570 level 1: {@code {name}} matches one
 * path segment, {@code {+name}} the rest of the URI). Each variable is passed to the method
 * parameter of the same name (or {@link dev.plugboard.api.tool.Param#name()}), converted to its type.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ResourceTemplate {

    /** The URI template, such as {@code weather://forecast/{city}}. */
    String uriTemplate();

    /** The template's name; empty (the default) uses the method name in snake_case. */
    String name() default "";

    /** A human-readable title; empty for none. */
    String title() default "";

    /** What the resources hold; empty for none. */
    String description() default "";

    /** The media type of their contents; empty for unknown. */
    String mimeType() default "";

    /**
     * How long, in seconds, the host may answer a read of a resource of the template with the contents of an earlier
     * read of the same URI instead of calling the method again; 0 (the default) never. For contents
     * that may be a little stale. Reads are cached per URI, plugin and plugin version, in memory or in
     * Redis when the host shares one; an update or removal of the plugin, and its announcing
     * {@code notifications/resources/updated} for the URI, drop them. Reads that find nothing or fail
     * are never cached. Must not be negative.
     *
     * @since 1.1
     */
    int cacheSeconds() default 0;
}
