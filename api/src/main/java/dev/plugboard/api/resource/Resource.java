package dev.plugboard.api.resource;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Serves the resource at a fixed URI. The method takes no arguments (except an optional
 * {@link dev.plugboard.api.context.RequestContext}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Resource {

    /** The resource's URI, unique in the catalogue, such as {@code docs://handbook/intro}. */
    String uri();

    /** The resource's name; empty (the default) uses the method name in snake_case. */
    String name() default "";

    /** A human-readable title; empty for none. */
    String title() default "";

    /** What the resource holds; empty for none. */
    String description() default "";

    /** The media type of its contents; empty for unknown (text defaults to {@code text/plain}). */
    String mimeType() default "";

    /**
     * How long, in seconds, the host may answer a read of the resource with the contents of an earlier
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
