package dev.plugboard.host.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Hashtable;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.apache.felix.framework.Felix;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

/**
 * A bundle registers its routes one service at a time: the routes that arrive while the application
 * is being built are served by one more build, not one each, and a request never meets an application
 * that misses a route already registered; a route that goes away is gone when its unregistering returns,
 * and a stopping bundle's routes all go in one build.
 */
class PluginRoutesTest {

    @TempDir
    java.nio.file.Path dir;
    private Felix framework;

    @BeforeEach
    void startFramework() throws Exception {
        framework = new Felix(Map.of(Constants.FRAMEWORK_STORAGE, dir.toString()));
        framework.start();
    }

    @AfterEach
    void stopFramework() throws Exception {
        framework.stop();
        framework.waitForStop(30_000);
    }

    @Test
    void routesArrivingDuringABuildCostOneMoreBuildAndAreServedAtOnce() throws Exception {
        try (PluginRoutes routes = new PluginRoutes(framework.getBundleContext(), new ObjectMapper(),
                new SimpleMeterRegistry()).open()) {
            BundleContext context = framework.getBundleContext();
            int before = routes.builds();
            ServiceRegistration<?> first;
            // Holding the lock a build holds: everything registered here arrives during a build.
            synchronized (routes) {
                first = context.registerService(Object.class, new First(), resource());
                context.registerService(Object.class, new Second(), resource());
                context.registerService(Object.class, new Third(), resource());
            }
            assertThat(routes.claim("/first")).isPresent();
            assertThat(routes.claim("/second/x")).isPresent();
            assertThat(routes.claim("/third")).isPresent();
            assertThat(routes.builds() - before).as("builds for three routes registered during one").isEqualTo(1);
            assertThat(routes.routes()).extracting(PluginRoutes.Route::root)
                    .containsExactlyInAnyOrder("/first", "/second", "/third");

            // a path of the host's own is never a plugin's, and asks for no build
            assertThat(routes.claim("/api/v1/tools")).isEmpty();
            assertThat(routes.claim("/health/ready")).isEmpty();

            first.unregister();
            assertThat(routes.claim("/first")).as("gone as soon as its service is").isEmpty();
            assertThat(routes.claim("/third")).isPresent();
        }
    }

    @Test
    void aStoppingBundlesRoutesGoInOneBuild() throws Exception {
        try (PluginRoutes routes = new PluginRoutes(framework.getBundleContext(), new ObjectMapper(),
                new SimpleMeterRegistry()).open()) {
            Bundle plugin = framework.getBundleContext().installBundle("routes-plugin", emptyBundle("routes.plugin"));
            plugin.start();
            BundleContext context = plugin.getBundleContext();
            context.registerService(Object.class, new First(), resource());
            context.registerService(Object.class, new Second(), resource());
            context.registerService(Object.class, new Third(), resource());
            assertThat(routes.routes()).hasSize(3);
            int before = routes.builds();

            // Holding the build's lock, as a build in progress would: the three removals wait for one build.
            synchronized (routes) {
                plugin.stop();
            }
            assertThat(routes.claim("/first")).isEmpty();
            assertThat(routes.claim("/second/x")).isEmpty();
            assertThat(routes.routes()).isEmpty();
            assertThat(routes.builds() - before).as("builds for a bundle with three routes stopping").isEqualTo(1);
        }
    }

    /** A bundle with a manifest and nothing else. */
    private static InputStream emptyBundle(String symbolicName) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        manifest.getMainAttributes().putValue(Constants.BUNDLE_SYMBOLICNAME, symbolicName);
        ByteArrayOutputStream jar = new ByteArrayOutputStream();
        new JarOutputStream(jar, manifest).close();
        return new ByteArrayInputStream(jar.toByteArray());
    }

    @Test
    void hostPathsAreKnownByTheirFirstSegment() {
        assertThat(PluginRoutes.hostPath("/api/v1/tools")).isTrue();
        assertThat(PluginRoutes.hostPath("/health")).isTrue();
        assertThat(PluginRoutes.hostPath("/metrics?x=1")).isTrue();
        assertThat(PluginRoutes.hostPath("/.well-known/oauth-protected-resource")).isTrue();
        assertThat(PluginRoutes.hostPath("/console")).isFalse();
        assertThat(PluginRoutes.hostPath("/apis")).isFalse();
        assertThat(PluginRoutes.hostPath("/")).isFalse();
    }

    private static Hashtable<String, Object> resource() {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(PluginRoutes.RESOURCE, "true");
        return properties;
    }

    /** A route. */
    @Path("/first")
    public static final class First {
        @GET
        public String get() {
            return "first";
        }
    }

    /** A route. */
    @Path("/second")
    public static final class Second {
        @GET
        @Path("{name}")
        public String get() {
            return "second";
        }
    }

    /** A route. */
    @Path("/third")
    public static final class Third {
        @GET
        public String get() {
            return "third";
        }
    }
}
