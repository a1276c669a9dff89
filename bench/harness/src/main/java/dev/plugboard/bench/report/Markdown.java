package dev.plugboard.bench.report;

import dev.plugboard.bench.scenarios.HotDeploy;
import dev.plugboard.bench.scenarios.LoadGenerator;
import dev.plugboard.bench.scenarios.Memory;
import dev.plugboard.bench.scenarios.Misbehaving;
import dev.plugboard.bench.scenarios.SearchLatency;
import dev.plugboard.bench.scenarios.Startup;
import dev.plugboard.bench.scenarios.Throughput;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The results as a markdown page: what ran, then one table per scenario, ratios against the peers first. */
public final class Markdown {

    /** The server name of Plugboard's rows. */
    public static final String PLUGBOARD = "Plugboard";

    /** The server name of the bare Grizzly + Jackson echo handler's rows. */
    public static final String BARE = "Bare Grizzly + Jackson";

    /** The server name of the official Java SDK server's rows. */
    public static final String JAVA_SDK = "Java SDK";

    private final StringBuilder out = new StringBuilder();

    private Markdown() {
    }

    /** Renders the results. */
    public static String render(Results r) {
        Markdown md = new Markdown();
        md.header(r);
        md.out.append(SummaryTable.render(r));
        if (!r.throughput().isEmpty()) {
            md.againstBare(r.throughput());
            md.ratios(r.throughput());
            md.restAgainstMcp(r.throughput());
            md.throughput(r.throughput());
        }
        if (r.hotDeploy() != null) {
            md.hotDeploy(r.hotDeploy());
        }
        if (!r.startup().isEmpty()) {
            md.startup(r.startup());
        }
        if (!r.memory().isEmpty()) {
            md.memory(r.memory());
        }
        if (!r.search().isEmpty()) {
            md.search(r.search());
        }
        if (r.misbehaving() != null) {
            md.misbehaving(r.misbehaving());
        }
        if (r.proxyHop() != null) {
            md.out.append('\n').append(dev.plugboard.bench.scenarios.ProxyHop.markdown(r.proxyHop()));
        }
        if (r.scaleOut() != null) {
            md.out.append('\n').append(r.scaleOut().markdown());
        }
        return md.out.toString();
    }

    private void line(String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private void header(Results r) {
        line("# Plugboard benchmarks, %s", r.date());
        line("");
        Machine m = r.machine();
        line("- Machine: %s, %d logical CPUs, %.1f GiB, %s", m.cpu(), m.cpus(), m.memoryGib(), m.kernel());
        line("- Pinning during the load runs: servers on CPU %s, load generator on CPU %s (other scenarios use the "
                + "whole machine)", m.serverCpus(), m.clientCpus());
        for (Map.Entry<String, String> v : r.versions().entrySet()) {
            line("- %s: %s", v.getKey(), v.getValue());
        }
        for (Map.Entry<String, String> s : r.settings().entrySet()) {
            line("- %s: %s", s.getKey(), s.getValue());
        }
        line("");
    }

    private void ratios(List<Throughput.Row> rows) {
        line("## Plugboard against the peers");
        line("");
        line("Ratios of medians over the repeats, same run, same load generator. Throughput: Plugboard's "
                + "requests per second divided by the peer's (above 1: Plugboard serves more). p99: the peer's "
                + "99th percentile latency divided by Plugboard's (above 1: Plugboard answers faster).");
        line("");
        line("| responses | clients | peer | throughput ratio | p99 ratio |");
        line("|---|---|---|---|---|");
        for (Throughput.Row pb : rows) {
            if (!pb.server().equals(PLUGBOARD)) {
                continue;
            }
            for (Throughput.Row peer : rows) {
                // Another build of Plugboard (a baseline) is compared protocol by protocol; the SDKs on 2025-11-25.
                boolean variant = peer.server().startsWith(PLUGBOARD);
                if (peer.server().equals(PLUGBOARD) || !peer.responses().equals(pb.responses())
                        || peer.concurrency() != pb.concurrency()
                        || !(variant ? peer.protocol().equals(pb.protocol()) : pb.protocol().equals("2025-11-25"))) {
                    continue;
                }
                line("| %s | %d | %s | %s | %s |", pb.responses(), pb.concurrency(),
                        variant ? peer.server() + " (" + peer.protocol() + ")" : peer.server(),
                        ratio(pb.throughput().median(), peer.throughput().median()),
                        ratio(peer.p99().median(), pb.p99().median()));
            }
        }
        line("");
    }

    /**
     * Every Plugboard target against the bare Grizzly + Jackson echo handler (2025-11-25, JSON): what
     * Plugboard's MCP logic costs over the stack it runs on.
     */
    private void againstBare(List<Throughput.Row> rows) {
        List<Throughput.Row> bare = rows.stream().filter(r -> r.server().equals(BARE)).toList();
        if (bare.isEmpty()) {
            return;
        }
        line("## Plugboard against the bare handler");
        line("");
        line("Plugboard / bare handler: each Plugboard target's requests per second divided by those of an echo "
                + "handler on bare Grizzly and Jackson with no MCP logic (2025-11-25 framing, JSON), the ceiling "
                + "of the stack Plugboard runs on. p99: the bare handler's divided by Plugboard's. CPU: the "
                + "server's CPU time per request (medians over the repeats).");
        line("");
        line("| target | clients | throughput ratio | p99 ratio | Plugboard µs/req | bare µs/req |");
        line("|---|---|---|---|---|---|");
        for (Throughput.Row b : bare) {
            if (b.concurrency() < 16) {
                continue;
            }
            for (Throughput.Row pb : rows) {
                if (!pb.server().startsWith(PLUGBOARD) || pb.concurrency() != b.concurrency()) {
                    continue;
                }
                String target = pb.server() + " " + (pb.protocol().equals("rest") ? "REST"
                        : pb.responses() + " " + pb.protocol());
                line("| %s | %d | %s | %s | %.0f | %.0f |", target, pb.concurrency(),
                        ratio(pb.throughput().median(), b.throughput().median()),
                        ratio(b.p99().median(), pb.p99().median()), pb.serverMicrosPerRequest().median(),
                        b.serverMicrosPerRequest().median());
            }
        }
        line("");
    }

    /** REST's {@code POST /api/v1/tools/echo/call} against MCP's stateless tools/call on the same server. */
    private void restAgainstMcp(List<Throughput.Row> rows) {
        List<Throughput.Row> rest = rows.stream().filter(r -> r.server().equals(PLUGBOARD)
                && r.protocol().equals("rest")).toList();
        if (rest.isEmpty()) {
            return;
        }
        line("## REST against MCP");
        line("");
        line("`POST /api/v1/tools/echo/call` against MCP `tools/call` (2026-07-28, stateless, JSON) on the same "
                + "Plugboard server, whose engine path REST shares. Throughput: REST's requests per second divided "
                + "by MCP's (above 1: REST serves more). p99: MCP's divided by REST's (above 1: REST answers faster).");
        line("");
        line("| clients | REST req/s | MCP req/s | throughput ratio | p99 ratio |");
        line("|---|---|---|---|---|");
        for (Throughput.Row r : rest) {
            for (Throughput.Row mcp : rows) {
                if (mcp.server().equals(PLUGBOARD) && mcp.protocol().equals("2026-07-28")
                        && mcp.concurrency() == r.concurrency()) {
                    line("| %d | %.0f | %.0f | %s | %s |", r.concurrency(), r.throughput().median(),
                            mcp.throughput().median(), ratio(r.throughput().median(), mcp.throughput().median()),
                            ratio(mcp.p99().median(), r.p99().median()));
                }
            }
        }
        line("");
    }

    private static String ratio(double a, double b) {
        double r = a / b;
        String s = String.format(Locale.ROOT, "%.2f×", r);
        return r >= 1 ? "**" + s + "**" : s;
    }

    private void throughput(List<Throughput.Row> rows) {
        line("## Echo tools/call over Streamable HTTP");
        line("");
        line("Median over the repeats, with the minimum and maximum (the machine's noise) in brackets. "
                + "Latency from writing the request to reading the end of the response body; every response "
                + "checked. CPU: medians over the repeats.");
        line("");
        line("| server | responses | protocol | clients | requests/s [min–max] | p50 ms [min–max] | p99 ms [min–max] "
                + "| max ms "
                + "| errors | server CPU (cores) | server CPU µs/req | generator CPU (cores) |");
        line("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Throughput.Row row : rows) {
            Spread server = Spread.of(row.runs().stream().map(LoadGenerator.Result::serverCores).toList());
            Spread client = Spread.of(row.runs().stream().map(LoadGenerator.Result::clientCores).toList());
            line("| %s | %s | %s | %d | %.0f [%.0f–%.0f] | %.2f [%.2f–%.2f] | %.2f [%.2f–%.2f] | %.1f | %d | %.2f | %.0f "
                    + "| %.2f |",
                    row.server(), row.responses(), row.protocol(), row.concurrency(), row.throughput().median(),
                    row.throughput().min(), row.throughput().max(), row.p50().median(), row.p50().min(),
                    row.p50().max(), row.p99().median(), row.p99().min(), row.p99().max(), row.max(), row.errors(),
                    server.median(), row.serverMicrosPerRequest().median(), client.median());
        }
        line("");
        double worst = rows.stream().mapToDouble(r -> r.throughput().relativeRange()).max().orElse(0);
        line("Noise: the largest spread of a throughput median over its repeats was ±%.0f%%.", worst * 100);
        line("");
    }

    private void hotDeploy(HotDeploy.Result h) {
        line("## Hot deploy (Plugboard)");
        line("");
        line("%d cycles of drop, replace and delete of a tool bundle while a client is connected; time from the "
                + "file change, in milliseconds.", h.cycles());
        line("");
        line("| change | to list_changed p50 | p95 | max | to visible in a call p50 | p95 | max |");
        line("|---|---|---|---|---|---|---|");
        change("drop", h.drop());
        change("replace", h.replace());
        change("delete", h.delete());
        line("");
    }

    private void change(String name, HotDeploy.Change c) {
        line("| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |", name, c.toListChanged().p50(), c.toListChanged().p95(),
                c.toListChanged().max(), c.toCallable().p50(), c.toCallable().p95(), c.toCallable().max());
    }

    private void misbehaving(Misbehaving.Result m) {
        line("## A stable tool beside misbehaving calls (Plugboard)");
        line("");
        line("The echo tool at %d clients, alone (p50 %.2f ms, p99 %.2f ms) and while another plugin of the same "
                + "server runs calls that ignore interrupts: spinning the CPU or waiting. Health: `/health/ready` "
                + "asked every 100 ms during the measurement.", m.clients(), m.alone().p50(), m.alone().p99());
        line("");
        line("| misbehaving calls | echo p50 ms | echo p99 ms | p99 / alone | echo errors | health answered | slowest health ms |");
        line("|---|---|---|---|---|---|---|");
        for (Misbehaving.Row r : m.rows()) {
            line("| %d × %s | %.2f | %.2f | %.2f× | %d | %d / %d | %.0f |", r.calls(), r.kind(), r.echo().p50(),
                    r.echo().p99(), r.p99RatioToAlone(), r.echoErrors(), r.healthAnswered(), r.healthAsked(),
                    r.healthMaxMillis());
        }
        line("");
    }

    private void startup(List<Startup.Result> results) {
        line("## Start-up");
        line("");
        line("From spawning the process, in milliseconds: median [min–max] over the runs. Plugboard starts with "
                + "every first-party bundle.");
        line("");
        line("| server | to /health/ready | to first initialize answered | runs |");
        line("|---|---|---|---|");
        for (Startup.Result s : results) {
            line("| %s | %s | %s | %d |", s.server(), Optional.ofNullable(s.toReady()).map(Markdown::spread).orElse("—"),
                    spread(s.toInitialize()), s.toInitialize().runs());
        }
        line("");
    }

    private static String spread(Spread s) {
        return String.format(Locale.ROOT, "%.0f [%.0f–%.0f]", s.median(), s.min(), s.max());
    }

    private void memory(List<Memory.Result> results) {
        line("## Resident memory");
        line("");
        line("VmRSS after start-up, one call and a few idle seconds; then with sessions open.");
        line("");
        line("| server | idle MiB | sessions | with sessions MiB | per session KiB |");
        line("|---|---|---|---|---|");
        for (Memory.Result m : results) {
            line("| %s | %.0f | %d | %.0f | %.1f |", m.server(), m.idleMib(), m.sessions(), m.withSessionsMib(),
                    m.perSessionKib());
        }
        line("");
    }

    private void search(List<SearchLatency.Result> results) {
        line("## Search (Plugboard)");
        line("");
        line("MetaTool's tools repeated as distinct editions; query latency single-threaded after a warm-up, in "
                + "milliseconds; indexing includes starting the embedding model when it computes.");
        line("");
        line("| tools | index, embeddings computed | index, embeddings cached | bm25 p50 / p99 | vector p50 / p99 "
                + "| hybrid p50 / p99 |");
        line("|---|---|---|---|---|---|");
        for (SearchLatency.Result s : results) {
            StringBuilder modes = new StringBuilder();
            for (String mode : List.of("bm25", "vector", "hybrid")) {
                SearchLatency.Mode m = s.modes().stream().filter(x -> x.mode().equals(mode)).findFirst().orElseThrow();
                modes.append(String.format(Locale.ROOT, " %.2f / %.2f |", m.p50(), m.p99()));
            }
            line("| %,d | %.1f s (%.0f tools/s) | %.1f s (%.0f tools/s) |%s", s.tools(), s.indexSecondsComputing(),
                    s.toolsPerSecondComputing(), s.indexSecondsCached(), s.toolsPerSecondCached(), modes);
        }
        line("");
    }
}
