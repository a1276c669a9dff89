package dev.plugboard.console.web;

import dev.plugboard.console.api.HostApi;
import dev.plugboard.console.session.ConsoleSession;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A resource as read through the host's API ({@code GET /api/v1/resources/read}): each entry of its contents
 * by type, or the host's reason for refusing the read.
 *
 * @param uri the URI read
 * @param problem why the read failed, or empty
 * @param items the contents
 */
public record ContentsView(String uri, String problem, List<ResultView.Item> items) {

    /** Reads the resource at {@code uri} as the session's user. */
    static ContentsView read(Console console, URI base, ConsoleSession session, String uri) {
        HostApi.Answer answer = console.api().get(base, session.credential(),
                "/api/v1/resources/read?uri=" + HostApi.query(uri));
        if (!answer.ok()) {
            return new ContentsView(uri, answer.problem(), List.of());
        }
        List<ResultView.Item> items = new ArrayList<>();
        answer.body().path("contents").forEach(c -> items.add(ResultView.Item.ofContents(c)));
        return new ContentsView(uri, "", items);
    }
}
