package dev.plugboard.host.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plugboard.host.embedding.LocalEmbeddings;
import dev.plugboard.host.store.Store;
import dev.plugboard.host.testsupport.RedisExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Embedding vectors shared through a real {@code redis-server}: what one node embedded with the
 * real model, another node takes from Redis without embedding it, and gets the same vectors.
 */
class SharedVectorsTest {

    private static final String MODEL = "all-minilm-l6-v2-q";
    @RegisterExtension
    final RedisExtension redis = new RedisExtension();
    private Store a;
    private Store b;

    @BeforeEach
    void start() {
        a = redis.store(Duration.ofMinutes(10));
        b = redis.store(Duration.ofMinutes(10));
    }

    @Test
    void vectorsEmbeddedOnOneNodeAreTakenByAnotherWithoutEmbeddingThemAgain() throws Exception {
        List<String> texts = List.of("convert a temperature from celsius to fahrenheit", "list the files of a folder");
        try (LocalEmbeddings onA = new LocalEmbeddings(MODEL, null); LocalEmbeddings onB = new LocalEmbeddings(MODEL, null)) {
            onA.share(a.vectors().orElseThrow());
            onB.share(b.vectors().orElseThrow());

            List<float[]> made = onA.embedDocuments(texts);
            assertThat(onA.cacheMisses()).isEqualTo(2);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (Long.parseLong(redis.server().cli("DBSIZE")) < 2) { // written without waiting
                assertThat(System.nanoTime()).as("the vectors to reach Redis").isLessThan(deadline);
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }

            List<float[]> taken = onB.embedDocuments(texts);
            assertThat(onB.cacheHits()).as("both from Redis").isEqualTo(2);
            assertThat(onB.cacheMisses()).isZero();
            assertThat(taken.get(0)).containsExactly(made.get(0));
            assertThat(taken.get(1)).containsExactly(made.get(1));
            assertThat(onB.cached()).as("kept in node B's own cache too").isEqualTo(2);

            List<float[]> mixed = onB.embedDocuments(List.of(texts.get(0), "send an email to a colleague"));
            assertThat(onB.cacheHits()).isEqualTo(3);
            assertThat(onB.cacheMisses()).as("only the new text embedded").isEqualTo(1);
            assertThat(mixed.get(1)).hasSize(384);
        }
    }
}
