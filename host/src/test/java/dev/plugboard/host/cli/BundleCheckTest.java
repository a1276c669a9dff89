package dev.plugboard.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BundleCheckTest {

    @Test
    void explainsAMissingPackageInPlainWords() {
        String felix = "Unable to resolve com.example.quotes [5](R 5.0): missing requirement [com.example.quotes [5](R 5.0)] "
                + "osgi.wiring.package; (&(osgi.wiring.package=org.apache.commons.lang3)(version>=3.17.0)(!(version>=4.0.0))) "
                + "Unresolved requirements: [[com.example.quotes [5](R 5.0)] osgi.wiring.package; ...]";
        assertThat(BundleCheck.explain(felix))
                .startsWith("it imports the package org.apache.commons.lang3 at version 3.17.0 up to (not including) 4.0.0,")
                .contains("embed it in the bundle");
    }

    @Test
    void explainsAMissingCapability() {
        String felix = "Unable to resolve x [3](R 3.0): missing requirement [x [3](R 3.0)] example.missing; "
                + "(example.missing=*) Unresolved requirements: [[x [3](R 3.0)] example.missing; (example.missing=*)]";
        assertThat(BundleCheck.explain(felix)).isEqualTo("it requires the capability example.missing (example.missing=*), "
                + "which neither the host nor any other jar given provides");
    }

    @Test
    void keepsAnyOtherErrorAsTheHostSaidIt() {
        assertThat(BundleCheck.explain("the activator threw: boom")).isEqualTo("the activator threw: boom");
    }
}
