package dev.plugboard.bench.routing;

import dev.plugboard.bench.routing.LabelledSets.Item;
import dev.plugboard.host.embedding.LocalEmbeddings;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the labelled sets and their embeddings by each local model to {@code bench/routing/target/dump/}
 * (little-endian float32 rows, one file per set and model, and a TSV of labels), for analysis outside
 * the JVM. Development aid of the variant study; not part of the report.
 */
public final class EmbeddingDump {

    private EmbeddingDump() {}

    public static void main(String[] args) throws IOException {
        Path routing = Path.of("../shared/data/routing");
        Path out = Path.of("bench/routing/target/dump");
        Files.createDirectories(out);
        List<Item> mmlu = LabelledSets.mmlu(routing);
        List<Item> mt = LabelledSets.mtBench(routing, LabelledSets.WEAK_MMLU, LabelledSets.STRONG_MMLU);
        labels(out.resolve("mmlu.tsv"), mmlu);
        labels(out.resolve("mtbench.tsv"), mt);
        for (String model : args) {
            try (LocalEmbeddings e = new LocalEmbeddings(model, Path.of("bench/routing/target/embeddings-" + model))) {
                write(out.resolve("mtbench-" + model + ".f32"), embed(e, model, mt));
                write(out.resolve("mtbench-" + model + "-query.f32"),
                        mt.stream().map(i -> e.embedQuery(i.prompt())).toList());
                write(out.resolve("mmlu-" + model + ".f32"), embed(e, model, mmlu));
            }
        }
    }

    private static List<float[]> embed(LocalEmbeddings e, String model, List<Item> items) {
        List<float[]> v = new ArrayList<>();
        long start = System.nanoTime();
        for (int from = 0; from < items.size(); from += 64) {
            v.addAll(e.embedDocuments(items.subList(from, Math.min(items.size(), from + 64)).stream().map(Item::prompt).toList()));
            if ((from / 64) % 20 == 0) {
                System.err.printf("%s: %d/%d (%.0f s)%n", model, v.size(), items.size(), (System.nanoTime() - start) / 1e9);
            }
        }
        return v;
    }

    private static void labels(Path file, List<Item> items) throws IOException {
        StringBuilder b = new StringBuilder("group\tweakCorrect\tstrongCorrect\tweakQuality\tstrongQuality\tchars\n");
        for (Item i : items) {
            b.append(i.group()).append('\t').append(i.weakCorrect()).append('\t').append(i.strongCorrect()).append('\t')
                    .append(i.weakQuality()).append('\t').append(i.strongQuality()).append('\t').append(i.prompt().length())
                    .append('\n');
        }
        Files.writeString(file, b);
    }

    private static void write(Path file, List<float[]> vectors) throws IOException {
        try (OutputStream o = new DataOutputStream(Files.newOutputStream(file))) {
            for (float[] v : vectors) {
                ByteBuffer buf = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
                for (float f : v) {
                    buf.putFloat(f);
                }
                o.write(buf.array());
            }
        }
    }
}
