package dev.plugboard.router.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {

    final ObjectMapper mapper = new ObjectMapper();
    @TempDir
    Path dir;

    ConfigFile.Parsed parse(String json, Map<String, String> env) {
        return ConfigFile.parse(json.getBytes(StandardCharsets.UTF_8), mapper, dir, env::get);
    }

    @Test
    void aMissingFileIsOffWithoutProblems() {
        ConfigFile.Parsed p = ConfigFile.parse(new byte[0], mapper, dir, k -> null);
        assertThat(p.config()).isEmpty();
        assertThat(p.problems()).isEmpty();
        assertThat(p.unreadable()).isFalse();
    }

    @Test
    void secretsComeFromTheEnvironmentAndFilesAndAreNeverQuoted() throws Exception {
        Files.writeString(dir.resolve("key"), "sk-from-file\n");
        ConfigFile.Parsed p = parse("""
                {"providers": {"a": {"baseUrl": "http://127.0.0.1:1/v1/", "apiKey": "${env:A_KEY}",
                                     "headers": {"X-Org": "org-${file:key}"}, "firstTokenTimeoutMs": 1500},
                               "b": {"baseUrl": "http://127.0.0.1:2/v1", "apiKey": "${env:MISSING}"}},
                 "models": {"m": {"provider": "a", "inputPerMillion": 0.5}, "n": {"provider": "b"}},
                 "tiers": {"T": {"models": ["m", "n"]}}}
                """, Map.of("A_KEY", "sk-env"));
        RouterConfig c = p.config().orElseThrow();
        RouterConfig.Provider a = c.providers().get("a");
        assertThat(a.apiKey()).isEqualTo("sk-env");
        assertThat(a.headers()).containsEntry("X-Org", "org-sk-from-file");
        assertThat(a.baseUrl().toString()).isEqualTo("http://127.0.0.1:1/v1");
        assertThat(a.firstTokenTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.tiers().get("T").models()).containsExactly("m");
        assertThat(p.problems()).anySatisfy(s -> assertThat(s).contains("provider b")
                        .contains("the environment variable MISSING").contains("is not set"))
                .anySatisfy(s -> assertThat(s).contains("model n"));
    }

    @Test
    void badEntriesAreNamedAndLeftOut() {
        ConfigFile.Parsed p = parse("""
                {"providers": {"a": {"baseUrl": "ftp://x"}, "b": {"baseUrl": "http://127.0.0.1:2"}},
                 "models": {"m": {"provider": "b", "outputPerMillion": -1}, "k": {"provider": "b", "structuredOutput": "xml"},
                            "ok": {"provider": "b"}},
                 "tiers": {"auto": {"models": ["ok"]}, "T": {"models": ["ok"]}, "E": {"models": []}},
                 "rules": [{"name": "r1", "when": {"qualityLevel": "urgent"}, "tier": "T"}, {"name": "r2", "tier": "nope"}],
                 "budgets": [{"name": "b1", "period": "week", "limitUsd": 1}, {"limitUsd": 1}, {"name": "b3", "limitUsd": -2}],
                 "review": {"model": "absent"}, "learned": {"weakTier": "T", "strongTier": "T", "targetStrongShare": 2},
                 "cache": {"semantic": {"enabled": true, "threshold": 1.5}}}
                """, Map.of());
        assertThat(p.config()).isPresent();
        assertThat(String.join("\n", p.problems()))
                .contains("provider a is not used: \"baseUrl\" must be an http or https URL")
                .contains("model m is not used: prices must not be negative")
                .contains("model k is not used: \"structuredOutput\" must be")
                .contains("tier auto is not used")
                .contains("tier E is not used: it has no usable model")
                .contains("r1 is not used: qualityLevel must be normal, high or critical")
                .contains("r2 is not used: tier \"nope\"")
                .contains("budget b1 is not used: \"period\" must be hour, day, month or total")
                .contains("budget #1 is not used: it needs a \"name\"")
                .contains("budget b3 is not used")
                .contains("review is not used")
                .contains("learned is not used")
                .contains("cache.semantic.threshold must be within (0, 1]; 0.95 is used");
        assertThat(p.config().get().tiers()).containsOnlyKeys("T");
        assertThat(p.config().get().cache().semantic()).isEqualTo(new RouterConfig.Semantic(true, 0.95));
    }

    @Test
    void aFileThatIsNotJsonIsUnreadable() {
        ConfigFile.Parsed p = parse("{\"providers\": ", Map.of());
        assertThat(p.unreadable()).isTrue();
        assertThat(p.problems().get(0)).contains("not valid JSON");
        assertThat(parse("[]", Map.of()).unreadable()).isTrue();
        assertThat(parse("{}", Map.of()).problems()).anySatisfy(s -> assertThat(s).contains("no usable tier"));
    }
}
