package dev.plugboard.host.rest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What the OpenAPI document says about a REST operation beyond its JAX-RS annotations: a summary,
 * the schema of a successful answer and of the request body, and the problems it may answer with.
 * Put it on every resource method, including those of resources other parts of the host register.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ApiDoc {

    /** One line on what the operation does. */
    String summary();

    /** More, in CommonMark, or empty. */
    String description() default "";

    /** The tag that groups the operation in the documentation. */
    String tag();

    /** The component schema of a 200 answer, or empty when it has no JSON body. */
    String response() default "";

    /** The component schema of the JSON request body, or empty. */
    String request() default "";

    /** The statuses of the problems it may answer with, besides 400 and 500. */
    int[] problems() default {};
}
