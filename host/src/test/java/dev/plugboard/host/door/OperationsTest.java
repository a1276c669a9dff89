package dev.plugboard.host.door;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OperationsTest {

    @Test
    void validatorPathsBecomeJsonPointers() {
        assertThat(Operations.pointer("")).isEmpty();
        assertThat(Operations.pointer("name")).isEqualTo("/name");
        assertThat(Operations.pointer("items[2].name")).isEqualTo("/items/2/name");
        assertThat(Operations.pointer("a/b~c")).isEqualTo("/a~1b~0c");
    }
}
