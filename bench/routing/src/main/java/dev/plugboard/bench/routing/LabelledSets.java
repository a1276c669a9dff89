package dev.plugboard.bench.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** Reads the labelled routing sets of {@code ../shared/data/routing} (RouteLLM's evaluation files). */
final class LabelledSets {

    static final String WEAK_MMLU = "mistralai/Mixtral-8x7B-Instruct-v0.1";
    static final String STRONG_MMLU = "gpt-4-1106-preview";

    /**
     * One labelled prompt of a set. The group (MMLU subject, MT-Bench category) is never shown to a
     * router: it only forms the folds of the grouped cross-validation. The correctness flags are what a
     * router learns from; the qualities are what the scoring counts (for MMLU the flags as 1 or 0).
     */
    record Item(String group, String prompt, boolean weakCorrect, boolean strongCorrect, double weakQuality,
            double strongQuality) {

        static Item binary(String group, String prompt, boolean weakCorrect, boolean strongCorrect) {
            return new Item(group, prompt, weakCorrect, strongCorrect, weakCorrect ? 1 : 0, strongCorrect ? 1 : 0);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private LabelledSets() {}

    /** MMLU, every subject, without the prompts listed as contaminated; in file-name then row order. */
    static List<Item> mmlu(Path routing) throws IOException {
        Path folder = routing.resolve("mmlu");
        Set<String> contaminated = new HashSet<>();
        for (String line : Files.readAllLines(folder.resolve("contaminated_prompts.jsonl"))) {
            if (!line.isBlank()) {
                contaminated.add(JSON.readTree(line).path("eval_prompt").asText());
            }
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(f -> f.getFileName().toString().matches("mmlu_.*\\.csv")).sorted().toList();
        }
        List<Item> items = new ArrayList<>();
        for (Path file : files) {
            String subject = file.getFileName().toString().replaceAll("^mmlu_|\\.csv$", "");
            List<List<String>> rows = Csv.parse(Files.readString(file));
            List<String> header = rows.getFirst();
            int prompt = header.indexOf("prompt");
            int weak = header.indexOf(WEAK_MMLU);
            int strong = header.indexOf(STRONG_MMLU);
            if (prompt < 0 || weak < 0 || strong < 0) {
                throw new IOException(file + ": expected the columns prompt, " + WEAK_MMLU + ", " + STRONG_MMLU);
            }
            for (List<String> row : rows.subList(1, rows.size())) {
                if (contaminated.contains(row.get(prompt))) {
                    continue;
                }
                items.add(Item.binary(subject, row.get(prompt), Boolean.parseBoolean(row.get(weak)),
                        Boolean.parseBoolean(row.get(strong))));
            }
        }
        return items;
    }

    /**
     * MT-Bench: one item per question (its first turn's text is what a router sees). Its qualities are
     * each model's GPT-4 single-answer score averaged over both turns (1..10), as RouteLLM scores
     * MT-Bench. Its label for training is "the strong model wins": the strong model's average is
     * strictly higher than the weak one's (strongCorrect always true, weakCorrect when the weak model
     * ties or wins), so the gain a router learns is 1 for a strong win and 0 otherwise. The questions
     * RouteLLM lists as contaminated are dropped.
     */
    static List<Item> mtBench(Path routing, String weakModel, String strongModel) throws IOException {
        Path folder = routing.resolve("mt_bench");
        Set<String> contaminated = new HashSet<>();
        for (String line : Files.readAllLines(folder.resolve("contaminated_prompts.jsonl"))) {
            if (!line.isBlank()) {
                contaminated.add(JSON.readTree(line).path("eval_prompt").asText());
            }
        }
        Map<Integer, int[]> scores = new HashMap<>(); // question -> {weak sum, strong sum, weak turns, strong turns}
        for (String line : Files.readAllLines(folder.resolve("judgements.jsonl"))) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode j = JSON.readTree(line);
            int[] s = scores.computeIfAbsent(j.path("question_id").asInt(), q -> new int[4]);
            String model = j.path("model").asText();
            if (model.equals(weakModel)) {
                s[0] += j.path("score").asInt();
                s[2]++;
            } else if (model.equals(strongModel)) {
                s[1] += j.path("score").asInt();
                s[3]++;
            }
        }
        List<Item> items = new ArrayList<>();
        for (String line : Files.readAllLines(folder.resolve("question.jsonl"))) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode q = JSON.readTree(line);
            String first = q.path("turns").path(0).asText();
            int[] s = scores.get(q.path("question_id").asInt());
            if (s == null || s[2] != 2 || s[3] != 2 || contaminated.contains(first)) {
                continue;
            }
            double weak = s[0] / 2.0;
            double strong = s[1] / 2.0;
            items.add(new Item(q.path("category").asText(), first, weak >= strong, true, weak, strong));
        }
        return items;
    }

    /** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. */
    static final class Csv {
        private Csv() {}

        static List<List<String>> parse(String text) {
            List<List<String>> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    row.add(field.toString());
                    field.setLength(0);
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    row.add(field.toString());
                    field.setLength(0);
                    rows.add(row);
                    row = new ArrayList<>();
                } else {
                    field.append(c);
                }
            }
            if (field.length() > 0 || !row.isEmpty()) {
                row.add(field.toString());
                rows.add(row);
            }
            return rows;
        }
    }

    static void requireFolder(Path routing) {
        if (!Files.isDirectory(routing.resolve("mmlu"))) {
            throw new UncheckedIOException(new IOException("no labelled routing data at " + routing
                    + " (the shared data folder beside the repository: ../shared/data/routing)"));
        }
    }
}
