package dev.plugboard.host.tool;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.content.Content;
import dev.plugboard.api.tool.TaskSupport;
import dev.plugboard.api.tool.Tool;
import dev.plugboard.api.tool.ToolResult;
import dev.plugboard.host.binding.BoundMethod;
import dev.plugboard.host.catalog.Provider;
import dev.plugboard.host.catalog.RegisteredTool;
import dev.plugboard.host.protocol.tools.ToolAnnotations;
import dev.plugboard.host.protocol.tools.ToolDescriptor;
import dev.plugboard.host.protocol.tools.ToolExecution;
import dev.plugboard.host.schema.SchemaGenerator;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Optional;

/**
 * Builds a tool from a {@link Tool} method: its descriptor (name, schemas, hints) and its handler.
 */
public final class ToolFactory {

    private final ObjectMapper mapper;
    private final SchemaGenerator schemas;
    private final ResultMapper results;
    private final int maxConcurrentCalls;

    /**
     * @param mapper the JSON settings of the component (one copy per component)
     * @param maxConcurrentCalls how many calls each tool may run at once
     */
    public ToolFactory(ObjectMapper mapper, int maxConcurrentCalls) {
        this.mapper = mapper;
        this.schemas = new SchemaGenerator(mapper);
        this.results = new ResultMapper(mapper);
        this.maxConcurrentCalls = maxConcurrentCalls;
    }

    /**
     * The tool of a method.
     *
     * @throws IllegalArgumentException when the method cannot become a tool, saying why
     */
    public RegisteredTool create(Object component, Method method, Provider provider) {
        Tool tool = method.getAnnotation(Tool.class);
        String name = tool.name().isEmpty() ? BoundMethod.snakeCase(method.getName()) : tool.name();
        BoundMethod bound = BoundMethod.of(component, method, mapper);
        ObjectNode input = tool.inputSchema().isEmpty() ? schemas.objectSchema(bound.properties())
                : declaredSchema(tool.inputSchema());
        ObjectNode output = declaresOutputSchema(method.getReturnType())
                ? schemas.outputSchema(method.getGenericReturnType()).orElse(null) : null;
        ToolDescriptor descriptor = new ToolDescriptor(name, emptyToNull(tool.title()), tool.description(), input,
                output, hints(tool), tool.task() == TaskSupport.FORBIDDEN ? null
                        : new ToolExecution(tool.task(), tool.deferTask()));
        if (tool.timeoutSeconds() < 0 || tool.maxConcurrentCalls() < 0 || tool.cacheSeconds() < 0) {
            throw new IllegalArgumentException("timeoutSeconds, maxConcurrentCalls and cacheSeconds must not be negative");
        }
        return new RegisteredTool(descriptor, new MethodTool(bound, results, output), provider,
                tool.maxConcurrentCalls() > 0 ? tool.maxConcurrentCalls() : maxConcurrentCalls,
                tool.timeoutSeconds() > 0 ? Duration.ofSeconds(tool.timeoutSeconds()) : null,
                tool.cacheSeconds() > 0 ? Duration.ofSeconds(tool.cacheSeconds()) : null);
    }

    private ObjectNode declaredSchema(String json) {
        try {
            if (mapper.readTree(json) instanceof ObjectNode schema && "object".equals(schema.path("type").asText())) {
                return schema;
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("inputSchema is not valid JSON: " + e.getOriginalMessage());
        }
        throw new IllegalArgumentException("inputSchema must be a JSON object schema with \"type\": \"object\"");
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

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
