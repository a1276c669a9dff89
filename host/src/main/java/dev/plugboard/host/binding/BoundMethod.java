package dev.plugboard.host.binding;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.context.RequestContext;
import dev.plugboard.api.tool.Param;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.schema.SchemaGenerator;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A plugin method bound to its component, with one binding per parameter: its arguments come from a
 * JSON object by name, and a {@link RequestContext} parameter from the request. Shared by tools,
 * prompts and resource templates.
 */
public final class BoundMethod {

    private final MethodHandle handle;
    private final List<ArgumentBinding> bindings;
    private final List<SchemaGenerator.Property> properties;

    private BoundMethod(MethodHandle handle, List<ArgumentBinding> bindings, List<SchemaGenerator.Property> properties) {
        this.handle = handle;
        this.bindings = List.copyOf(bindings);
        this.properties = List.copyOf(properties);
    }

    /**
     * Binds a method.
     *
     * @throws IllegalArgumentException when the method is not public, declares two contexts, or its
     *     parameter names are unknown
     */
    public static BoundMethod of(Object component, Method method, ObjectMapper mapper) {
        if (!Modifier.isPublic(method.getModifiers())) {
            throw new IllegalArgumentException("an annotated method must be public");
        }
        List<ArgumentBinding> bindings = new ArrayList<>();
        List<SchemaGenerator.Property> properties = new ArrayList<>();
        boolean sawContext = false;
        for (Parameter p : method.getParameters()) {
            if (p.getType() == RequestContext.class) {
                if (sawContext) {
                    throw new IllegalArgumentException("declares more than one RequestContext parameter");
                }
                sawContext = true;
                bindings.add(new ArgumentBinding.Context());
                continue;
            }
            Param param = p.getAnnotation(Param.class);
            boolean named = param != null && !param.name().isEmpty();
            if (!named && !p.isNamePresent()) {
                throw new IllegalArgumentException("parameter names are not available: compile with -parameters "
                        + "or name each parameter with @Param(name = ...)");
            }
            SchemaGenerator.Property property = SchemaGenerator.Property.of(p.getName(), p.getParameterizedType(), param,
                    mapper);
            properties.add(property);
            bindings.add(ArgumentBinding.Argument.of(property.name(), p.getParameterizedType(), property.defaultValue(),
                    mapper));
        }
        try {
            method.setAccessible(true);
            MethodHandle handle = MethodHandles.lookup().unreflect(method);
            if (!Modifier.isStatic(method.getModifiers())) {
                handle = handle.bindTo(component);
            }
            return new BoundMethod(handle.asSpreader(Object[].class, bindings.size()), bindings, properties);
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("cannot be called: " + e.getMessage(), e);
        }
    }

    /** The parameters that take arguments, in order, with their schema information. */
    public List<SchemaGenerator.Property> properties() {
        return properties;
    }

    /** Whether the method takes a {@link RequestContext}. */
    public boolean usesContext() {
        return bindings.stream().anyMatch(ArgumentBinding.Context.class::isInstance);
    }

    /**
     * Calls the method on the current thread.
     *
     * @throws dev.plugboard.host.protocol.jsonrpc.McpException when an argument cannot be bound
     * @throws Exception whatever the method throws
     */
    public Object invoke(ObjectNode arguments, CallContext context) throws Exception {
        Object[] values = new Object[bindings.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = bindings.get(i).bind(arguments, context);
        }
        try {
            return handle.invoke(values);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The name derived from a method name: {@code convertTime} becomes {@code convert_time}. */
    public static String snakeCase(String javaName) {
        return javaName.replaceAll("([A-Z]+)([A-Z][a-z])", "$1_$2")
                .replaceAll("([a-z0-9])([A-Z])", "$1_$2")
                .toLowerCase(Locale.ROOT);
    }
}
