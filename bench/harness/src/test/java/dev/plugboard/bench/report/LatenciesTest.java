package dev.plugboard.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void percentilesAreNearestRank() {
        long[] nanos = LongStream.rangeClosed(1, 100).map(i -> i * 1_000_000).toArray();
        Latencies l = Latencies.ofNanos(nanos);
        assertThat(l.count()).isEqualTo(100);
        assertThat(l.p50()).isEqualTo(50.0);
        assertThat(l.p95()).isEqualTo(95.0);
        assertThat(l.p99()).isEqualTo(99.0);
        assertThat(l.max()).isEqualTo(100.0);
    }

    @Test
    void orderDoesNotMatterAndOneValueIsEveryPercentile() {
        assertThat(Latencies.ofNanos(new long[] {3_000_000, 1_000_000, 2_000_000}).p50()).isEqualTo(2.0);
        Latencies one = Latencies.ofNanos(new long[] {5_000_000});
        assertThat(one.p50()).isEqualTo(5.0);
        assertThat(one.p99()).isEqualTo(5.0);
        assertThat(Latencies.ofNanos(new long[0]).p50()).isNaN();
    }

    @Test
    void spreadGivesMinMedianAndMax() {
        Spread s = Spread.of(10, 30, 20, 40);
        assertThat(s.min()).isEqualTo(10);
        assertThat(s.median()).isEqualTo(25);
        assertThat(s.max()).isEqualTo(40);
        assertThat(s.relativeRange()).isEqualTo(0.6);
        assertThat(Spread.of(7).median()).isEqualTo(7);
    }
}
