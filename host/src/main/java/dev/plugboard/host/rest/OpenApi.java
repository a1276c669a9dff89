package dev.plugboard.host.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.plugboard.host.door.Operations;
import dev.plugboard.host.engine.Pages;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The OpenAPI 3.1 description of the REST API, generated: the paths, methods, parameters, media
 * types and problem answers come from the JAX-RS annotations of the registered resources (with
 * {@link ApiDoc} for what annotations cannot say), the data shapes from the component schemas
 * shipped beside this class, and every tool's own call operation from the catalogue, with the
 * tool's input schema as its request body. Rebuilt when the catalogue changes. Thread-safe.
 */
final class OpenApi {

    private static final String PROBLEM = "application/problem+json";

    private final List<Class<?>> resources;
    private final Operations operations;
    private final ObjectMapper mapper;
    private final LongSupplier revision;
    private final String version;
    private final ObjectNode components;
    private final ObjectMapper yaml;
    private final Supplier<List<Class<?>>> routes;
    private volatile Built built;

    private record Built(long revision, List<Class<?>> routes, ObjectNode document, byte[] json, byte[] yaml) {
    }

    /**
     * @param resources the resource classes to describe
     * @param revision a number that changes when the catalogue changes
     * @param version the server's version
     * @param routes the resource classes of plugins' HTTP routes, the same list until they change
     */
    OpenApi(List<Class<?>> resources, Operations operations, ObjectMapper mapper, LongSupplier revision,
            String version, Supplier<List<Class<?>>> routes) {
        this.resources = List.copyOf(resources);
        this.routes = routes;
        this.operations = operations;
        this.mapper = mapper;
        this.revision = revision;
        this.version = version;
        try (InputStream in = OpenApi.class.getResourceAsStream("components.json")) {
            this.components = (ObjectNode) mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("The OpenAPI component schemas are missing from the host", e);
        }
        this.yaml = new ObjectMapper(YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build());
    }

    /** The document as JSON. */
    byte[] json() {
        return current().json();
    }

    /** The document as YAML. */
    byte[] yaml() {
        return current().yaml();
    }

    /** The document. */
    ObjectNode document() {
        return current().document();
    }

    private Built current() {
        long now = revision.getAsLong();
        List<Class<?>> served = routes.get();
        // A caller who may not see every tool gets a document of its own tools, built for it alone.
        boolean shared = dev.plugboard.host.security.Principal.current().rights().seesEverything();
        Built b = shared ? built : null;
        if (b == null || b.revision() != now || b.routes() != served) {
            ObjectNode doc = build(served);
            try {
                b = new Built(now, served, doc, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc),
                        yaml.writeValueAsBytes(doc));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("The OpenAPI document cannot be written", e);
            }
            if (shared) {
                built = b;
            }
        }
        return b;
    }

    private ObjectNode build(List<Class<?>> served) {
        ObjectNode doc = mapper.createObjectNode();
        doc.put("openapi", "3.1.0");
        doc.putObject("info").put("title", "Plugboard REST API").put("version", version)
                .put("description", "The catalogue of this Plugboard server: tools, resources, prompts, search and"
                        + " changes. Every error is an RFC 9457 problem document (application/problem+json).");
        doc.put("jsonSchemaDialect", "https://json-schema.org/draft/2020-12/schema");
        doc.putArray("servers").addObject().put("url", "/");
        ObjectNode paths = doc.putObject("paths");
        TreeMap<String, ObjectNode> byPath = new TreeMap<>();
        List<Class<?>> described = new ArrayList<>(resources);
        described.addAll(served);
        for (Class<?> resource : described) {
            String base = resources.contains(resource) ? pathOf(resource.getAnnotation(Path.class))
                    : rootPathOf(resource.getAnnotation(Path.class));
            Method[] methods = resource.getMethods();
            Arrays.sort(methods, Comparator.comparing(Method::getName));
            for (Method m : methods) {
                String verb = verbOf(m);
                if (verb != null) {
                    String path = join(base, pathOf(m.getAnnotation(Path.class)));
                    ObjectNode item = byPath.computeIfAbsent(path, p -> mapper.createObjectNode());
                    describe(item, verb, m, resource);
                }
            }
        }
        byPath.forEach(paths::set);
        toolCalls(paths);
        ObjectNode comps = doc.putObject("components");
        comps.set("schemas", components.deepCopy());
        comps.putObject("responses").putObject("Problem").put("description", "A problem")
                .putObject("content").putObject(PROBLEM).putObject("schema").put("$ref", "#/components/schemas/Problem");
        return doc;
    }

    private void describe(ObjectNode item, String verb, Method m, Class<?> resource) {
        ApiDoc doc = m.getAnnotation(ApiDoc.class);
        ObjectNode op = item.has(verb) ? (ObjectNode) item.get(verb) : item.putObject(verb);
        if (doc != null) {
            op.putArray("tags").add(doc.tag());
            op.put("summary", doc.summary());
            if (!doc.description().isEmpty()) {
                op.put("description", doc.description());
            }
            op.put("operationId", doc.tag() + Character.toUpperCase(m.getName().charAt(0)) + m.getName().substring(1));
        } else if (!resources.contains(resource)) {
            // a plugin's route: named after its bundle and method
            String bundle = bundleOf(resource);
            op.putArray("tags").add(bundle);
            op.put("summary", m.getName() + " (served by the plugin " + bundle + ")");
            op.put("operationId", bundle.replaceAll("[^A-Za-z0-9]", "_") + "_" + m.getName());
        }
        if (!op.has("parameters")) {
            ArrayNode params = mapper.createArrayNode();
            boolean body = false;
            for (Parameter p : m.getParameters()) {
                if (p.isAnnotationPresent(PathParam.class)) {
                    params.add(parameter(p.getAnnotation(PathParam.class).value(), "path", true, p));
                } else if (p.isAnnotationPresent(QueryParam.class)) {
                    params.add(parameter(p.getAnnotation(QueryParam.class).value(), "query", false, p));
                } else if (p.isAnnotationPresent(HeaderParam.class)) {
                    params.add(parameter(p.getAnnotation(HeaderParam.class).value(), "header", false, p));
                } else if (!p.isAnnotationPresent(Context.class) && !hasJaxRsAnnotation(p)) {
                    body = true;
                }
            }
            if (!params.isEmpty()) {
                op.set("parameters", params);
            }
            Consumes consumes = annotation(m, resource, Consumes.class);
            if (body && consumes != null) {
                ObjectNode content = op.putObject("requestBody").put("required", false).putObject("content");
                for (String type : consumes.value()) {
                    ObjectNode schema = content.putObject(bare(type)).putObject("schema");
                    if (doc != null && !doc.request().isEmpty()) {
                        schema.put("$ref", "#/components/schemas/" + doc.request());
                    }
                }
            }
        }
        ObjectNode responses = op.has("responses") ? (ObjectNode) op.get("responses") : op.putObject("responses");
        ObjectNode ok = responses.has("200") ? (ObjectNode) responses.get("200")
                : responses.putObject("200").put("description", "OK");
        Produces produces = annotation(m, resource, Produces.class);
        if (produces != null) {
            ObjectNode content = ok.has("content") ? (ObjectNode) ok.get("content") : ok.putObject("content");
            for (String type : produces.value()) {
                String media = bare(type);
                ObjectNode schema = content.putObject(media).putObject("schema");
                if (media.equals("application/json") && doc != null && !doc.response().isEmpty()) {
                    schema.put("$ref", "#/components/schemas/" + doc.response());
                } else if (!media.equals("application/json")) {
                    schema.put("type", "string");
                }
            }
        }
        List<Integer> statuses = new ArrayList<>(List.of(400, 500));
        if (doc != null) {
            Arrays.stream(doc.problems()).forEach(statuses::add);
        }
        statuses.stream().sorted().distinct().forEach(s -> responses.putObject(Integer.toString(s))
                .put("$ref", "#/components/responses/Problem"));
    }

    /** An operation per tool: its own call path, with the tool's input schema as the body. */
    private void toolCalls(ObjectNode paths) {
        String cursor = null;
        do {
            Pages.Page<Operations.ToolEntry> page = operations.tools(Operations.ToolFilter.ALL, cursor);
            for (Operations.ToolEntry t : page.items()) {
                ObjectNode op = paths.putObject("/api/v1/tools/" + t.tool().name() + "/call").putObject("post");
                op.putArray("tags").add("tool calls");
                op.put("summary", t.tool().title() != null ? t.tool().title() : "Call " + t.tool().name());
                if (t.tool().description() != null) {
                    op.put("description", t.tool().description());
                }
                op.put("operationId", "call_" + t.tool().name().replace('.', '_').replace('-', '_'));
                op.putObject("requestBody").put("required", false).putObject("content")
                        .putObject("application/json").set("schema", t.tool().inputSchema().deepCopy());
                ObjectNode okSchema = op.putObject("responses").putObject("200").put("description", "The tool's result")
                        .putObject("content").putObject("application/json").putObject("schema");
                if (t.tool().outputSchema() != null) {
                    ArrayNode all = okSchema.putArray("allOf");
                    all.addObject().put("$ref", "#/components/schemas/ToolResult");
                    ObjectNode structured = all.addObject();
                    structured.putObject("properties").set("structuredContent", t.tool().outputSchema().deepCopy());
                } else {
                    okSchema.put("$ref", "#/components/schemas/ToolResult");
                }
                ObjectNode responses = (ObjectNode) op.get("responses");
                for (int s : new int[] {400, 404, 413, 415, 422, 500, 502, 503, 504}) {
                    responses.putObject(Integer.toString(s)).put("$ref", "#/components/responses/Problem");
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
    }

    private ObjectNode parameter(String name, String in, boolean required, Parameter p) {
        ObjectNode node = mapper.createObjectNode().put("name", name).put("in", in);
        if (required) {
            node.put("required", true);
        }
        Class<?> type = p.getType();
        node.putObject("schema").put("type", type == int.class || type == Integer.class || type == long.class
                ? "integer" : type == boolean.class || type == Boolean.class ? "boolean" : "string");
        return node;
    }

    private static boolean hasJaxRsAnnotation(Parameter p) {
        for (Annotation a : p.getAnnotations()) {
            if (a.annotationType().getPackageName().startsWith("jakarta.ws.rs")) {
                return true;
            }
        }
        return false;
    }

    private static <A extends Annotation> A annotation(Method m, Class<?> resource, Class<A> type) {
        A a = m.getAnnotation(type);
        return a != null ? a : resource.getAnnotation(type);
    }

    private static String bundleOf(Class<?> type) {
        var bundle = org.osgi.framework.FrameworkUtil.getBundle(type);
        return bundle == null ? "plugin" : bundle.getSymbolicName();
    }

    private static String verbOf(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value().toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    /** A JAX-RS path without regular expressions in its templates ({@code {file: .+}} is {@code {file}}). */
    private static String pathOf(Path path) {
        if (path == null) {
            return "";
        }
        return path.value().replaceAll("\\{\\s*([A-Za-z0-9_]+)\\s*:[^}]*}", "{$1}");
    }

    /** A plugin route's path: at the server's root rather than under the API's prefix. */
    private static String rootPathOf(Path path) {
        String p = path.value().strip().replaceAll("/+$", "");
        return "/" + p.replaceAll("^/+", "");
    }

    private static String join(String base, String sub) {
        String joined = (base.startsWith("/") ? base : "/" + base);
        if (!sub.isEmpty()) {
            joined = (joined.endsWith("/") ? joined : joined + "/") + (sub.startsWith("/") ? sub.substring(1) : sub);
        }
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    /** A media type without parameters such as {@code qs}. */
    private static String bare(String type) {
        int semi = type.indexOf(';');
        return (semi < 0 ? type : type.substring(0, semi)).strip();
    }

}
