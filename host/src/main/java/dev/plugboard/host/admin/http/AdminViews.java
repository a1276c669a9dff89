package dev.plugboard.host.admin.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.logging.RecentLogs;
import dev.plugboard.host.rest.RestApi;
import java.util.Map;
import java.util.function.Supplier;
import org.glassfish.jersey.internal.inject.AbstractBinder;

/**
 * The admin API's read-only views under {@code /api/v1/admin}: the recent log records
 * ({@code /api/v1/admin/logs}) and the proxy's upstreams with the virtual servers
 * ({@code /api/v1/admin/upstreams}). Admin only, through the same check as the other admin resources
 * ({@link AdminApi} adds it).
 */
public final class AdminViews {

    /**
     * What the views show.
     *
     * @param logs the recent log records
     * @param plugins the plugins' health reports by contributor name (the proxy's is {@code proxy})
     * @param servers the virtual servers' report by name
     * @param json writes the answers
     */
    public record Sources(RecentLogs logs, Supplier<Map<String, Object>> plugins,
            Supplier<Map<String, Object>> servers, ObjectMapper json) {
    }

    private AdminViews() {
    }

    /** Adds the views to the REST API, before its handler is made. */
    public static RestApi addTo(RestApi rest, Sources sources) {
        return rest.add(LogsResource.class).add(UpstreamsResource.class).add(new AbstractBinder() {
            @Override
            protected void configure() {
                bind(sources).to(Sources.class);
            }
        });
    }
}
