package dev.plugboard.host.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdminSettingsTest {

    private static AdminSettings allowing(String setting) {
        return new AdminSettings(1024, AdminSettings.parseInstallUrls(setting));
    }

    @Test
    void noPrefixAllowsNoUrl() {
        assertThat(allowing("").allows(URI.create("https://example.org/x.jar"))).isFalse();
    }

    @Test
    void aUrlMustShareSchemeHostPortAndAPathPrefixAtASegmentBoundary() {
        AdminSettings s = allowing("https://repo.example.org/plugins/, http://127.0.0.1:8081/jars");
        assertThat(s.allows(URI.create("https://repo.example.org/plugins/a.jar"))).isTrue();
        assertThat(s.allows(URI.create("https://REPO.example.org:443/plugins/a.jar"))).isTrue();
        assertThat(s.allows(URI.create("http://127.0.0.1:8081/jars/a.jar"))).isTrue();
        assertThat(s.allows(URI.create("http://127.0.0.1:8081/jarsplus/a.jar"))).isFalse();
        assertThat(s.allows(URI.create("http://repo.example.org/plugins/a.jar"))).isFalse();
        assertThat(s.allows(URI.create("https://repo.example.org.evil.net/plugins/a.jar"))).isFalse();
        assertThat(s.allows(URI.create("https://repo.example.org:8443/plugins/a.jar"))).isFalse();
        assertThat(s.allows(URI.create("https://repo.example.org/plugins/../secret/a.jar"))).isFalse();
        assertThat(s.allows(URI.create("https://user@repo.example.org/plugins/a.jar"))).isFalse();
        assertThat(s.allows(URI.create("file:///etc/passwd"))).isFalse();
    }

    @Test
    void aPrefixThatIsNotAnHttpUrlNamesTheSetting() {
        assertThatThrownBy(() -> AdminSettings.parseInstallUrls("file:///tmp/"))
                .hasMessageContaining("admin.installUrls").hasMessageContaining("file:///tmp/");
        assertThat(AdminSettings.parseInstallUrls(" , ")).isEqualTo(List.of());
    }
}
