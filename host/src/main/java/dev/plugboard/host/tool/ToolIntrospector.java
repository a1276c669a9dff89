package dev.plugboard.host.tool;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.content.Content;
import dev.plugboard.api.context.RequestContext;
import dev.plugboard.api.tool.Param;
import dev.plugboard.api.tool.Tool;
import dev.plugboard.api.tool.ToolResult;
import dev.plugboard.host.protocol.tools.ToolAnnotations;
import dev.plugboard.host.protocol.tools.ToolDescriptor;
import dev.plugboard.host.registry.ToolSpec;
import dev.plugboard.host.schema.SchemaGenerator;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@link Tool} methods of a plugin component and builds a tool for each: descriptor
 * (name, schemas, hints) and handler.
 *
 * <p>A method that cannot become a tool (not public, bad name, unsupported type, unnamed
 * parameters) is skipped and reported as a problem; the component's other tools still work.
 */
public final class ToolIntrospector {

    private final ObjectMapper mapper;

    /**
     * @param mapper the base JSON settings; each component gets its own copy, so that cached type
     *     information is released with the component
     */
    public ToolIntrospector(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The tools of a component and the problems found.
     *
     * @param tools the usable tools
     * @param problems one sentence per skipped method
     */
    public record Introspection(List<ToolSpec> tools, List<String> problems) {
    }

    /** Reads every {@link Tool} method of the component. */
    public Introspection introspect(Object component) {
        ObjectMapper own = mapper.copy();
        SchemaGenerator schemas = new SchemaGenerator(own);
        ResultMapper results = new ResultMapper(own);
        List<ToolSpec> tools = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Class<?> type = component.getClass();
        for (Method method : annotatedMethods(type)) {
            String where = type.getName() + "." + method.getName();
            try {
                ToolSpec spec = toolOf(component, method, own, schemas, results);
                if (!names.add(spec.descriptor().name())) {
                    problems.add(where + ": another method already defines a tool named '"
                            + spec.descriptor().name() + "'");
                    continue;
                }
                tools.add(spec);
            } catch (IllegalArgumentException | IllegalAccessException e) {
                problems.add(where + ": " + e.getMessage());
            }
        }
        return new Introspection(List.copyOf(tools), List.copyOf(problems));
    }

    /** The tool name derived from a method name: {@code convertTime} becomes {@code convert_time}. */
    public static String snakeCase(String javaName) {
        return javaName.replaceAll("([A-Z]+)([A-Z][a-z])", "$1_$2")
                .replaceAll("([a-z0-9])([A-Z])", "$1_$2")
                .toLowerCase(Locale.ROOT);
    }

    private static List<Method> annotatedMethods(Class<?> type) {
        List<Method> found = new ArrayList<>();
        Set<String> signatures = new HashSet<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Tool.class) && !m.isBridge()
                        && signatures.add(m.getName() + java.util.Arrays.toString(m.getParameterTypes()))) {
                    found.add(m);
                }
            }
        }
        found.sort(java.util.Comparator.comparing(Method::getName));
        return found;
    }

    private ToolSpec toolOf(Object component, Method method, ObjectMapper own, SchemaGenerator schemas,
            ResultMapper results) throws IllegalAccessException {
        if (!Modifier.isPublic(method.getModifiers())) {
            throw new IllegalArgumentException("a @Tool method must be public");
        }
        Tool tool = method.getAnnotation(Tool.class);
        String name = tool.name().isEmpty() ? snakeCase(method.getName()) : tool.name();
        List<SchemaGenerator.Property> properties = new ArrayList<>();
        List<ArgumentBinding> bindings = new ArrayList<>();
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
            SchemaGenerator.Property property = SchemaGenerator.Property.of(p.getName(), p.getParameterizedType(),
                    param, own);
            properties.add(property);
            bindings.add(ArgumentBinding.Argument.of(property.name(), p.getParameterizedType(),
                    property.defaultValue(), own));
        }
        ObjectNode input = schemas.objectSchema(properties);
        ObjectNode output = declaresOutputSchema(method.getReturnType())
                ? schemas.outputSchema(method.getGenericReturnType()).orElse(null) : null;
        ToolDescriptor descriptor = new ToolDescriptor(name, emptyToNull(tool.title()), tool.description(), input,
                output, hints(tool));
        method.setAccessible(true);
        MethodHandle handle = MethodHandles.lookup().unreflect(method);
        if (!Modifier.isStatic(method.getModifiers())) {
            handle = handle.bindTo(component);
        }
        handle = handle.asSpreader(Object[].class, bindings.size());
        return new ToolSpec(descriptor, new MethodTool(handle, List.copyOf(bindings), results));
    }

    /** Explicit results and content blocks carry no schema; neither may an optional value. */
    private static boolean declaresOutputSchema(Class<?> returnType) {
        return returnType != Optional.class && returnType != ToolResult.class
                && !Content.class.isAssignableFrom(returnType);
    }

    private static ToolAnnotations hints(Tool tool) {
        Boolean readOnly = tool.readOnly() ? Boolean.TRUE : null;
        Boolean destructive = !tool.readOnly() && !tool.destructive() ? Boolean.FALSE : null;
        Boolean idempotent = tool.idempotent() ? Boolean.TRUE : null;
        Boolean openWorld = tool.openWorld() ? null : Boolean.FALSE;
        String title = emptyToNull(tool.title());
        if (readOnly == null && destructive == null && idempotent == null && openWorld == null && title == null) {
            return null;
        }
        return new ToolAnnotations(title, readOnly, destructive, idempotent, openWorld);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
