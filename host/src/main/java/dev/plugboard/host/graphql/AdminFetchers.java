package dev.plugboard.host.graphql;

import dev.plugboard.host.admin.AdminException;
import dev.plugboard.host.admin.Module;
import dev.plugboard.host.admin.Modules;
import dev.plugboard.host.admin.PluginSettings;
import dev.plugboard.host.deploy.Readiness;
import graphql.schema.DataFetcher;
import graphql.schema.idl.RuntimeWiring;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Modules, health and plugin configuration: the {@code modules}, {@code health} and {@code config}
 * queries and the admin mutations, through the same {@link Modules} and {@link PluginSettings} as
 * REST and the CLI. The {@code @admin} directive guards the admin fields before these run.
 */
final class AdminFetchers {

    private final Modules modules;
    private final PluginSettings settings;
    private final Supplier<Readiness> readiness;

    AdminFetchers(Modules modules, PluginSettings settings, Supplier<Readiness> readiness) {
        this.modules = modules;
        this.settings = settings;
        this.readiness = readiness;
    }

    void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Query", type -> type
                .dataFetcher("modules", env -> modules.list().stream().map(AdminFetchers::module).toList())
                .dataFetcher("health", env -> {
                    Readiness now = readiness.get();
                    return Map.of("ready", now.ready(), "status", now.status(),
                            "modules", modules.list().stream().map(AdminFetchers::module).toList());
                })
                .dataFetcher("config", admin(env -> config(env.getArgument("pid"),
                        settings.get(env.getArgument("pid"))))));
        wiring.type("Mutation", type -> type
                .dataFetcher("installModule", admin(env -> {
                    String url = env.getArgument("url");
                    String jar = env.getArgument("jarBase64");
                    if ((url == null) == (jar == null)) {
                        throw new GraphqlProblem(ErrorCode.BAD_USER_INPUT, "give exactly one of url and jarBase64");
                    }
                    return module(url != null ? modules.installFrom(url)
                            : modules.install(new ByteArrayInputStream(decode(jar))));
                }))
                .dataFetcher("updateModule", admin(env -> module(modules.update(env.getArgument("name"),
                        new ByteArrayInputStream(decode(env.getArgument("jarBase64")))))))
                .dataFetcher("startModule", admin(env -> module(modules.start(env.getArgument("name")))))
                .dataFetcher("stopModule", admin(env -> module(modules.stop(env.getArgument("name")))))
                .dataFetcher("removeModule", admin(env -> {
                    modules.remove(env.getArgument("name"));
                    return true;
                }))
                .dataFetcher("setConfig", admin(env -> {
                    Object properties = env.getArgument("properties");
                    if (!(properties instanceof Map<?, ?> values)) {
                        throw new GraphqlProblem(ErrorCode.BAD_USER_INPUT, "properties must be a JSON object");
                    }
                    Map<String, Object> checked = new LinkedHashMap<>();
                    values.forEach((k, v) -> checked.put(String.valueOf(k), v));
                    return config(env.getArgument("pid"), settings.put(env.getArgument("pid"), checked));
                })));
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new GraphqlProblem(ErrorCode.BAD_USER_INPUT, "jarBase64 is not valid base64");
        }
    }

    private static Map<String, Object> config(String pid, Map<String, String> values) {
        return Map.of("pid", pid, "properties", values);
    }

    /** A module as the schema's {@code Module} type. */
    static Map<String, Object> module(Module m) {
        Map<String, Object> out = new HashMap<>();
        out.put("name", m.name());
        out.put("version", m.version());
        out.put("state", m.state());
        out.put("file", m.file());
        out.put("tools", m.provides().tools());
        out.put("resources", m.provides().resources());
        out.put("prompts", m.provides().prompts());
        out.put("error", m.error());
        out.put("problems", m.problems());
        return out;
    }

    /** Turns a refused admin operation into its GraphQL error. */
    private static <T> DataFetcher<T> admin(DataFetcher<T> fetcher) {
        return env -> {
            try {
                return fetcher.get(env);
            } catch (AdminException e) {
                ErrorCode code = switch (e.reason()) {
                    case NOT_FOUND -> ErrorCode.NOT_FOUND;
                    case CONFLICT -> ErrorCode.CONFLICT;
                    case URL_NOT_ALLOWED -> ErrorCode.FORBIDDEN;
                    default -> ErrorCode.BAD_USER_INPUT;
                };
                Map<String, Object> extensions = new HashMap<>();
                extensions.put("reason", e.reason().code());
                if (e.key() != null) {
                    extensions.put("key", e.key());
                }
                throw new GraphqlProblem(code, e.getMessage(), extensions);
            }
        };
    }
}
