package dev.plugboard.host.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GlobsTest {

    @Test
    void starsAndQuestionMarksMatchAsInAShell() {
        Globs g = new Globs(List.of("essentials.*", "hash?"));
        assertThat(g.covers("essentials.calculate")).isTrue();
        assertThat(g.covers("essentials.")).isTrue();
        assertThat(g.covers("essentialsx")).isFalse();
        assertThat(g.covers("hash1")).isTrue();
        assertThat(g.covers("hash")).isFalse();
        assertThat(Globs.ALL.covers("anything.at.all")).isTrue();
        assertThat(Globs.NONE.covers("x")).isFalse();
        assertThat(Globs.matches("a*b*c", "aXXbYYc")).isTrue();
        assertThat(Globs.matches("a*b*c", "aXXbYY")).isFalse();
    }

    @Test
    void aToolGlobCoversTheNameOrThePluginQualifiedName() {
        Rights rights = Roles.of(java.util.Map.of()).rightsOf(List.of("user")).narrowTools(
                new Globs(List.of("essentials.*")));
        assertThat(rights.mayUseTool("calculate", "plugboard-essentials")).isTrue();
        assertThat(rights.mayUseTool("calculate", "dev.plugboard.essentials")).isTrue();
        assertThat(rights.mayUseTool("hello", "dev.plugboard.fixtures.hello")).isFalse();
        assertThat(rights.mayUseTool("essentials.thing")).isTrue();
        assertThat(rights.seesEverything()).isFalse();
    }

    @Test
    void rolesUniteAndAKeyNarrowsThem() {
        Roles roles = Roles.of(java.util.Map.of("readers", new Rights(Set.of(Operation.CATALOG),
                new Globs(List.of("read_*")), Globs.ALL, Globs.NONE, Globs.NONE)));
        Rights readers = roles.rightsOf(List.of("readers"));
        assertThat(readers.mayUseTool("read_file")).isTrue();
        assertThat(readers.mayUseTool("write_file")).isFalse();
        assertThat(readers.may(Operation.ADMIN)).isFalse();
        assertThat(roles.rightsOf(List.of("readers", "operator")).may(Operation.ADMIN)).isTrue();
        assertThat(roles.rightsOf(List.of("nobody"))).isEqualTo(Rights.NONE);
    }
}
