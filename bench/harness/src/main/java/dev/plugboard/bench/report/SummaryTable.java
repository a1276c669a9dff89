package dev.plugboard.bench.report;

import dev.plugboard.bench.scenarios.Memory;
import dev.plugboard.bench.scenarios.Startup;
import dev.plugboard.bench.scenarios.Throughput;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Issue 16's table: the bare Grizzly + Jackson handler, Plugboard and the Java SDK server side by
 * side, each figure from this run (echo {@code tools/call}, 2025-11-25 sessions, JSON answers), then
 * the goals checked against it. A column whose scenario did not run shows a dash.
 */
final class SummaryTable {

    private static final String SESSIONS = "2025-11-25";
    private static final String STATELESS = "2026-07-28";
    private static final String REST = "rest";

    private final Results results;
    private final StringBuilder out = new StringBuilder();

    private SummaryTable(Results results) {
        this.results = results;
    }

    /** The table and the goals, or nothing when the run measured none of the three servers. */
    static String render(Results r) {
        SummaryTable t = new SummaryTable(r);
        if (t.load(Markdown.PLUGBOARD, SESSIONS, 64).isEmpty() && t.startup(Markdown.PLUGBOARD).isEmpty()
                && t.memory(Markdown.PLUGBOARD).isEmpty()) {
            return "";
        }
        t.table();
        t.goals();
        return t.out.toString();
    }

    private void line(String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private void table() {
        line("## Summary (issue 16)");
        line("");
        line("Echo `tools/call`, one 2025-11-25 session per client, every response checked, JSON answers "
                + "(the Java SDK's are event streams, the only kind it sends); "
                + "medians over the repeats. Start-up: from spawning the process to the first `initialize` "
                + "answered. Idle RSS: after start-up and one call.");
        line("");
        line("| server | req/s @16 | req/s @64 | p99 @64 | server CPU µs/req @64 | start → first initialize "
                + "| idle RSS |");
        line("|---|---:|---:|---:|---:|---:|---:|");
        for (String server : List.of(Markdown.BARE, Markdown.PLUGBOARD, Markdown.JAVA_SDK)) {
            Optional<Throughput.Row> at16 = load(server, SESSIONS, 16);
            Optional<Throughput.Row> at64 = load(server, SESSIONS, 64);
            line("| %s | %s | %s | %s | %s | %s | %s |", server,
                    at16.map(r -> String.format(Locale.ROOT, "%,.0f", r.throughput().median())).orElse("—"),
                    at64.map(r -> String.format(Locale.ROOT, "%,.0f", r.throughput().median())).orElse("—"),
                    at64.map(r -> String.format(Locale.ROOT, "%.1f ms", r.p99().median())).orElse("—"),
                    at64.map(r -> String.format(Locale.ROOT, "%.0f", r.serverMicrosPerRequest().median()))
                            .orElse("—"),
                    startup(server).map(s -> String.format(Locale.ROOT, "%.2f s", s.toInitialize().median() / 1000))
                            .orElse("—"),
                    memory(server).map(m -> String.format(Locale.ROOT, "%.0f MiB", m.idleMib())).orElse("—"));
        }
        line("");
        List<String> cases = new ArrayList<>();
        startup(Markdown.PLUGBOARD).ifPresent(s -> cases.add("start-up: \"" + s.server() + "\""));
        memory(Markdown.PLUGBOARD).ifPresent(m -> cases.add("RSS: \"" + m.server() + "\""));
        if (!cases.isEmpty()) {
            line("Plugboard's start-up and memory cases (below): %s.", String.join("; ", cases));
            line("");
        }
    }

    private void goals() {
        List<String[]> goals = new ArrayList<>();
        Optional<Throughput.Row> bare64 = load(Markdown.BARE, SESSIONS, 64);
        Optional<Throughput.Row> bare16 = load(Markdown.BARE, SESSIONS, 16);
        Optional<Throughput.Row> sdk64 = load(Markdown.JAVA_SDK, SESSIONS, 64);
        for (String protocol : List.of(SESSIONS, STATELESS, REST)) {
            String path = switch (protocol) {
                case SESSIONS -> "MCP 2025-11-25 sessions";
                case STATELESS -> "MCP 2026-07-28 stateless";
                default -> "REST";
            };
            Optional<Throughput.Row> pb64 = load(Markdown.PLUGBOARD, protocol, 64);
            Optional<Throughput.Row> pb16 = load(Markdown.PLUGBOARD, protocol, 16);
            if (pb64.isPresent() && bare64.isPresent()) {
                double ratio = pb64.get().throughput().median() / bare64.get().throughput().median();
                goals.add(goal(path + ": req/s @64 ≥ 0.70× the bare handler", ratio >= 0.70, "%.2f×", ratio));
            }
            if (pb64.isPresent() && sdk64.isPresent()) {
                double ratio = pb64.get().throughput().median() / sdk64.get().throughput().median();
                goals.add(goal(path + ": req/s @64 ≥ 2× the Java SDK", ratio >= 2, "%.2f×", ratio));
            }
            if (pb64.isPresent()) {
                double micros = pb64.get().serverMicrosPerRequest().median();
                goals.add(goal(path + ": server CPU @64 ≤ 45 µs/request", micros <= 45, "%.0f µs", micros));
            }
            if (pb16.isPresent() && bare16.isPresent()) {
                double ratio = pb16.get().p99().median() / bare16.get().p99().median();
                goals.add(goal(path + ": p99 @16 ≤ 1.3× the bare handler's", ratio <= 1.3, "%.2f×", ratio));
            }
        }
        startup(Markdown.PLUGBOARD).ifPresent(s -> goals.add(goal("start → first initialize, first start ≤ 1.0 s",
                s.toInitialize().median() <= 1000, "%.2f s", s.toInitialize().median() / 1000)));
        find(results.startup(), Startup.Result::server, n -> n.startsWith(Markdown.PLUGBOARD) && n.contains("restart"))
                .ifPresent(s -> goals.add(goal("start → first initialize, later starts ≤ 0.6 s",
                        s.toInitialize().median() <= 600, "%.2f s", s.toInitialize().median() / 1000)));
        memory(Markdown.PLUGBOARD).ifPresent(m -> {
            goals.add(goal("idle RSS, first start ≤ 150 MiB", m.idleMib() <= 150, "%.0f MiB", m.idleMib()));
            goals.add(goal("RSS with " + m.sessions() + " sessions ≤ 300 MiB", m.sessions() < 1000
                    || m.withSessionsMib() <= 300, "%.0f MiB", m.withSessionsMib()));
        });
        if (goals.isEmpty()) {
            return;
        }
        line("| goal | this run | met |");
        line("|---|---:|---|");
        for (String[] g : goals) {
            line("| %s | %s | %s |", g[0], g[1], g[2]);
        }
        line("");
    }

    private static String[] goal(String name, boolean met, String format, double value) {
        return new String[] {name, String.format(Locale.ROOT, format, value), met ? "yes" : "**no**"};
    }

    /**
     * A server's load row: the given protocol and clients, JSON answers when the server gives them
     * (the Java SDK answers a POST with an event stream only).
     */
    private Optional<Throughput.Row> load(String server, String protocol, int clients) {
        List<Throughput.Row> rows = results.throughput().stream().filter(r -> r.server().equals(server)
                && r.protocol().equals(protocol) && r.concurrency() == clients).toList();
        return rows.stream().filter(r -> r.responses().equals("json")).findFirst().or(() -> rows.stream().findFirst());
    }

    /** A server's start-up; Plugboard's first start (the case). */
    private Optional<Startup.Result> startup(String server) {
        return server.equals(Markdown.PLUGBOARD)
                ? find(results.startup(), Startup.Result::server, n -> n.startsWith(server) && n.contains("first start"))
                .or(() -> find(results.startup(), Startup.Result::server, n -> n.startsWith(server)))
                : find(results.startup(), Startup.Result::server, server::equals);
    }

    /** A server's memory; Plugboard's first start with every first-party bundle (the case). */
    private Optional<Memory.Result> memory(String server) {
        return server.equals(Markdown.PLUGBOARD)
                ? find(results.memory(), Memory.Result::server, n -> n.startsWith(server)
                        && n.contains("every first-party bundle") && n.contains("first start"))
                .or(() -> find(results.memory(), Memory.Result::server, n -> n.startsWith(server)
                        && n.contains("first start")))
                .or(() -> find(results.memory(), Memory.Result::server, n -> n.startsWith(server)))
                : find(results.memory(), Memory.Result::server, server::equals);
    }

    private static <T> Optional<T> find(List<T> list, java.util.function.Function<T, String> name,
            Predicate<String> matches) {
        return list.stream().filter(x -> matches.test(name.apply(x))).findFirst();
    }
}
