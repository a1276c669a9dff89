package dev.plugboard.host.graphql;

import dev.plugboard.host.security.ApiKeys;
import dev.plugboard.host.security.KeyManagement;
import dev.plugboard.host.security.Principal;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * API keys over GraphQL: the {@code apiKeys} query and the {@code createApiKey} and
 * {@code revokeApiKey} mutations, through the same {@link KeyManagement} as REST and the command line
 * (its rights check, role rules and audit lines). The {@code @keys} directive checks the right before
 * these run.
 */
final class KeyFetchers {

    private final KeyManagement keys;

    /** @param keys the key service, or null when the host runs without its security layer */
    KeyFetchers(KeyManagement keys) {
        this.keys = keys;
    }

    void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Query", type -> type
                .dataFetcher("apiKeys", refusals(env -> keys().list(who(env)).stream().map(KeyFetchers::key)
                        .toList())));
        wiring.type("Mutation", type -> type
                .dataFetcher("createApiKey", refusals(env -> {
                    List<String> roles = env.getArgument("roles");
                    List<String> tools = env.getArgument("tools");
                    ApiKeys.Created created = keys().create(who(env), new KeyManagement.Request(
                            env.getArgument("name"), roles, tools, env.getArgument("expires")));
                    return Map.of("key", created.secret(), "apiKey", key(created.key()));
                }))
                .dataFetcher("revokeApiKey", refusals(env -> key(keys().revoke(who(env), env.getArgument("name"))))));
    }

    private KeyManagement keys() {
        if (keys == null) {
            throw new GraphqlProblem(ErrorCode.UNAVAILABLE, "API keys are managed by the security layer, which does"
                    + " not run here");
        }
        return keys;
    }

    private static Principal who(DataFetchingEnvironment env) {
        Caller caller = env.getGraphQlContext().get(Caller.class);
        return caller == null || caller.principal() == null ? Principal.current() : caller.principal();
    }

    /** A stored key as the schema's {@code ApiKey} type. */
    private static Map<String, Object> key(ApiKeys.Key k) {
        Map<String, Object> out = new HashMap<>();
        out.put("id", k.id());
        out.put("name", k.name());
        out.put("roles", k.roles());
        out.put("tools", k.tools());
        out.put("created", k.created().toString());
        out.put("expires", k.expires() == null ? null : k.expires().toString());
        return out;
    }

    /** Turns a refusal of the key service into its GraphQL error. */
    private static <T> DataFetcher<T> refusals(DataFetcher<T> fetcher) {
        return env -> {
            try {
                return fetcher.get(env);
            } catch (KeyManagement.Refused e) {
                throw new GraphqlProblem(switch (e.failure()) {
                    case FORBIDDEN -> ErrorCode.FORBIDDEN;
                    case INVALID -> ErrorCode.BAD_USER_INPUT;
                    case CONFLICT -> ErrorCode.CONFLICT;
                    case NOT_FOUND -> ErrorCode.NOT_FOUND;
                }, e.getMessage());
            }
        };
    }
}
