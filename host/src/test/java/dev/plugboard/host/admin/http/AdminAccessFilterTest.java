package dev.plugboard.host.admin.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdminAccessFilterTest {

    @Test
    void everySpellingOfAnAdminPathIsOne() {
        for (String path : new String[] {"/api/v1/admin/logs", "/api/v1/admin;x/logs", "/api/v1/admin/logs/",
            "/api/v1//admin/logs", "/api/v1/%61dmin/logs", "/api/v1/config", "/api/v1/config;a=b",
            "/api/v1/modules/x"}) {
            assertThat(AdminAccessFilter.isAdminPath(path)).as(path).isTrue();
        }
        for (String path : new String[] {"/api/v1/tools", "/api/v1/administrators", "/api/v1/configs", "/mcp"}) {
            assertThat(AdminAccessFilter.isAdminPath(path)).as(path).isFalse();
        }
    }
}
