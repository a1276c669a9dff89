package dev.plugboard.host.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingCacheTest {

    @TempDir
    Path folder;

    private static float[] vector(float first) {
        return new float[] {first, 0.5f, -0.25f};
    }

    @Test
    void keepsVectorsAcrossReopening() {
        Path file = folder.resolve("m.bin");
        try (EmbeddingCache cache = new EmbeddingCache(file, "m", 3)) {
            cache.put("alpha", vector(1));
            cache.put("beta", vector(2));
            cache.put("alpha", vector(9));
        }
        try (EmbeddingCache cache = new EmbeddingCache(file, "m", 3)) {
            assertThat(cache.size()).isEqualTo(2);
            assertThat(cache.get("alpha")).containsExactly(vector(1));
            assertThat(cache.get("beta")).containsExactly(vector(2));
            assertThat(cache.get("gamma")).isNull();
        }
    }

    @Test
    void keepsWhatPrecedesAPartialLastRecord() throws IOException {
        Path file = folder.resolve("m.bin");
        try (EmbeddingCache cache = new EmbeddingCache(file, "m", 3)) {
            cache.put("alpha", vector(1));
        }
        Files.write(file, new byte[] {1, 2, 3, 4, 5}, StandardOpenOption.APPEND);
        try (EmbeddingCache cache = new EmbeddingCache(file, "m", 3)) {
            assertThat(cache.get("alpha")).containsExactly(vector(1));
            cache.put("beta", vector(2));
        }
        try (EmbeddingCache cache = new EmbeddingCache(file, "m", 3)) {
            assertThat(cache.size()).isEqualTo(2);
            assertThat(cache.get("beta")).containsExactly(vector(2));
        }
    }

    @Test
    void discardsAFileOfAnotherModelOrNoFileAtAll() throws IOException {
        Path file = folder.resolve("m.bin");
        try (EmbeddingCache cache = new EmbeddingCache(file, "other", 3)) {
            cache.put("alpha", vector(1));
        }
        try (EmbeddingCache cache = new EmbeddingCache(file, "m", 3)) {
            assertThat(cache.size()).isZero();
            cache.put("alpha", vector(7));
        }
        try (EmbeddingCache cache = new EmbeddingCache(file, "m", 3)) {
            assertThat(cache.get("alpha")).containsExactly(vector(7));
        }
        Files.writeString(file, "garbage");
        try (EmbeddingCache cache = new EmbeddingCache(file, "m", 3)) {
            assertThat(cache.size()).isZero();
        }
    }
}
