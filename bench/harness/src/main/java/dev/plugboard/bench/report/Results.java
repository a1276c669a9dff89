package dev.plugboard.bench.report;

import dev.plugboard.bench.scenarios.HotDeploy;
import dev.plugboard.bench.scenarios.Memory;
import dev.plugboard.bench.scenarios.Misbehaving;
import dev.plugboard.bench.scenarios.ProxyHop;
import dev.plugboard.bench.scenarios.ScaleOut;
import dev.plugboard.bench.scenarios.SearchLatency;
import dev.plugboard.bench.scenarios.Startup;
import dev.plugboard.bench.scenarios.Throughput;
import java.util.List;
import java.util.Map;

/**
 * Everything one benchmark run measured, as written to {@code bench/results/<date>.json}.
 *
 * @param date when the run started (UTC, ISO-8601)
 * @param machine where it ran
 * @param versions the software measured and measured with
 * @param settings how it was run
 * @param throughput echo calls per target and concurrency level
 * @param hotDeploy hot-deploy timings, or null when not run
 * @param startup start-up times, empty when not run
 * @param memory resident memory, empty when not run
 * @param search search indexing and latency per catalogue size, empty when not run
 * @param misbehaving a stable tool beside misbehaving calls, or null when not run
 * @param proxyHop echo direct and through a proxying Plugboard, or null when not run
 * @param scaleOut scale-out on Redis, or null when not run
 */
public record Results(String date, Machine machine, Map<String, String> versions, Map<String, String> settings,
        List<Throughput.Row> throughput, HotDeploy.Result hotDeploy, List<Startup.Result> startup,
        List<Memory.Result> memory, List<SearchLatency.Result> search, Misbehaving.Result misbehaving,
        ProxyHop.Result proxyHop, ScaleOut.Result scaleOut) {
}
