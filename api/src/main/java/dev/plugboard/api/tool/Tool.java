package dev.plugboard.api.tool;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a public method of an {@link dev.plugboard.api.McpProvider} component an MCP tool.
 *
 * <p>Parameters become the tool's arguments: strings, numbers, booleans, enums, lists, sets, maps
 * with string keys, arrays, records (nested as objects), {@code java.time} values and
 * {@code Optional}s (which make the argument optional). Describe them with {@link Param}. One
 * parameter of type {@link dev.plugboard.api.context.RequestContext} may be declared anywhere in the
 * list; it is supplied by the host and is not part of the schema. Compile with {@code -parameters}
 * (or name every parameter with {@link Param#name()}).
 *
 * <p>The hints mirror MCP's tool annotations. Their defaults are those of the MCP specification; a
 * hint that keeps its default is not sent.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Tool {

    /**
     * The tool's name, unique in the catalogue: 1 to 128 characters from {@code A-Z a-z 0-9 _ - .}.
     * Empty (the default) derives it from the method name in snake_case: {@code convertTime} becomes
     * {@code convert_time}.
     */
    String name() default "";

    /** A human-readable title; empty for none. */
    String title() default "";

    /** What the tool does, written for the model that decides whether to call it. */
    String description();

    /** The tool does not modify its environment. */
    boolean readOnly() default false;

    /**
     * The input schema as JSON text, used as written instead of the schema derived from the
     * parameters; empty (the default) derives it. The root must be an object schema. Use it for
     * JSON Schema features a signature cannot express ({@code $defs}, {@code allOf}, conditionals);
     * arguments are still bound to parameters by name.
     */
    String inputSchema() default "";

    /** The tool may perform destructive updates (meaningful only when not read-only). */
    boolean destructive() default true;

    /** Calling the tool again with the same arguments has no additional effect. */
    boolean idempotent() default false;

    /** The tool interacts with an open world of external entities. */
    boolean openWorld() default true;

    /**
     * The longest a call of this tool may run, in seconds, before it is answered with an error and
     * interrupted; 0 (the default) uses the host's {@code tools.timeoutSeconds}.
     *
     * @since 1.2
     */
    int timeoutSeconds() default 0;

    /**
     * How long, in seconds, the host may answer a call with the result of an earlier call with the
     * same arguments instead of calling the method again; 0 (the default) never. Only for tools whose
     * result depends on their arguments alone (read-only ones). Results are cached per tool, plugin
     * version and arguments (compared as canonical JSON), in memory or in Redis when the host shares
     * one; an update or removal of the plugin drops them. Error results are never cached. Must not be
     * negative.
     *
     * @since 1.3
     */
    int cacheSeconds() default 0;

    /**
     * How many calls of this tool may run at once; further calls are answered "busy" at once. 0 (the
     * default) uses the host's {@code tools.maxConcurrentCalls}. The plugin's and the host's own
     * limits apply as well.
     *
     * @since 1.2
     */
    int maxConcurrentCalls() default 0;

    /**
     * Whether calls of this tool may run as tasks (see {@link TaskSupport}). Inside a task the method
     * still reports progress, checks cancellation and asks the client for input through its
     * {@link dev.plugboard.api.context.RequestContext}; a question the client has not answered yet
     * parks the task as "input required" until it does.
     *
     * @since 1.3
     */
    TaskSupport task() default TaskSupport.FORBIDDEN;

    /**
     * With task support: the call starts in the request like any other and becomes a task only when
     * the method calls {@link dev.plugboard.api.context.RequestContext#startTask()}, so that input
     * it asks for before that point is gathered in the request itself. False (the default): the
     * call is a task from its start.
     *
     * @since 1.3
     */
    boolean deferTask() default false;
}
