package dev.plugboard.tests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.api.McpProvider;
import dev.plugboard.api.context.LogLevel;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.protocol.CallerIdentity;
import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.protocol.tools.CallToolResult;
import dev.plugboard.host.catalog.RegisteredTool;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.invoke.Invocations;
import dev.plugboard.host.plugin.ComponentIntrospector;
import dev.plugboard.host.tool.ToolExecutor;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * First-party and fixture plugin bundles in a real Felix framework with SCR. The test itself runs
 * inside the framework and reads the plugins' services with the host's own catalogue, as the host does.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class PluginBundlesTest {

    @Inject
    private BundleContext context;

    private Catalog registry;
    private final ToolExecutor executor = new ToolExecutor(new Invocations(Duration.ofSeconds(30)));

    @Configuration
    public Option[] configuration() throws Exception {
        List<String> shared = new ArrayList<>();
        shared.addAll(SystemBundleExports.of(McpProvider.class));
        shared.addAll(SystemBundleExports.of(org.osgi.service.component.ComponentContext.class));
        shared.addAll(SystemBundleExports.of(org.osgi.util.promise.Promise.class));
        shared.addAll(SystemBundleExports.of(org.osgi.util.function.Function.class));
        // Jackson as the distribution's system bundle exports it to plugins, at its own versions
        shared.addAll(SystemBundleExports.of(com.fasterxml.jackson.annotation.JsonProperty.class));
        shared.addAll(SystemBundleExports.of(com.fasterxml.jackson.core.JsonFactory.class));
        shared.addAll(SystemBundleExports.of(com.fasterxml.jackson.databind.ObjectMapper.class));
        shared.addAll(List.of("dev.plugboard.host.protocol", "dev.plugboard.host.protocol.jsonrpc",
                "dev.plugboard.host.protocol.tools", "dev.plugboard.host.catalog", "dev.plugboard.host.tool",
                "dev.plugboard.host.invoke", "dev.plugboard.host.plugin"));
        return options(
                workingDirectory("target/paxexam"),
                systemPackages(shared.toArray(String[]::new)),
                frameworkProperty("org.osgi.framework.system.capabilities.extra").value(
                        "osgi.implementation;osgi.implementation=\"" + McpProvider.HOST + "\";version:Version=\"1.0.0\""),
                bundle(jar("org.apache.felix.scr")),
                bundle(jar("plugboard-essentials")),
                bundle(jar("fixture-hello-v1")),
                junitBundles());
    }

    private static String jar(String name) {
        return Path.of(System.getProperty("plugboard.test.bundles"), name + ".jar").toUri().toString();
    }

    @Before
    public void trackTools() {
        registry = new Catalog(new ComponentIntrospector(JsonRpcCodec.newMapper(), 8), Duration.ofSeconds(2));
        registry.track(context);
    }

    @After
    public void stopTracking() {
        registry.close();
    }

    private Bundle installed(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    private CallToolResult call(String tool, String arguments) throws Exception {
        RegisteredTool t = registry.tool(tool).orElseThrow(() -> new AssertionError("no tool " + tool));
        JsonNode args = JsonRpcCodec.newMapper().readTree(arguments);
        CallContext ctx = new CallContext(new CallerIdentity("osgi-test", Set.of(), null, null, null), null,
                MessageSink.NONE, () -> LogLevel.INFO, tool);
        return executor.call(t, args, ctx).get(30, TimeUnit.SECONDS);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    @Test
    public void theTestRunsInsideTheFramework() {
        assertNotNull(FrameworkUtil.getBundle(PluginBundlesTest.class));
        assertEquals(Bundle.ACTIVE, installed("dev.plugboard.essentials").getState());
    }

    @Test
    public void pluginsWireTheApiToTheSystemBundle() {
        BundleWiring wiring = installed("dev.plugboard.essentials").adapt(BundleWiring.class);
        boolean sawApi = false;
        for (BundleWire wire : wiring.getRequiredWires("osgi.wiring.package")) {
            if (wire.getCapability().getAttributes().get("osgi.wiring.package").toString().startsWith("dev.plugboard.api")) {
                assertEquals(0L, wire.getProvider().getBundle().getBundleId());
                sawApi = true;
            }
        }
        assertTrue("essentials imports the plugin API", sawApi);
        assertFalse(installed("dev.plugboard.essentials").adapt(BundleWiring.class)
                .getRequiredWires("osgi.implementation").isEmpty());
    }

    @Test
    public void essentialsToolsRegisterAndAnswer() throws Exception {
        await("the essentials tools", () -> registry.tool("calculate").isPresent() && registry.tool("hash").isPresent()
                && registry.tool("current_time").isPresent() && registry.tool("format_json").isPresent());
        CallToolResult sum = call("calculate", "{\"expression\":\"2^10 - 24\"}");
        assertEquals(1000.0, sum.structuredContent().get("result").asDouble(), 0.0);
        CallToolResult digest = call("hash", "{\"text\":\"abc\"}");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                digest.content().get(0).get("text").asText());
        CallToolResult paris = call("current_time", "{\"timezone\":\"Europe/Paris\"}");
        assertEquals("Europe/Paris", paris.structuredContent().get("timezone").asText());
        CallToolResult badZone = call("current_time", "{\"timezone\":\"Nowhere/Land\"}");
        assertTrue(badZone.isError());
    }

    @Test
    public void argumentsAreCheckedAgainstTheDerivedSchema() throws Exception {
        await("calculate", () -> registry.tool("calculate").isPresent());
        try {
            call("calculate", "{\"expression\":[1]}");
            throw new AssertionError("accepted an array");
        } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof McpException);
            assertTrue(e.getCause().getMessage().contains("'expression' must be a string"));
        }
    }

    @Test
    public void updatingABundleSwapsItsTools() throws Exception {
        await("version 1", () -> registry.tool("slow").isPresent());
        assertEquals("Hello, V! (v1)", call("hello", "{\"name\":\"V\"}").content().get(0).get("text").asText());
        Bundle hello = installed("dev.plugboard.fixtures.hello");
        hello.stop();
        try (InputStream v2 = Files.newInputStream(Path.of(System.getProperty("plugboard.test.bundles"),
                "fixture-hello-v2.jar"))) {
            hello.update(v2);
        }
        CountDownLatch refreshed = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(hello), e -> refreshed.countDown());
        assertTrue(refreshed.await(30, TimeUnit.SECONDS));
        assertTrue(registry.tool("hello").isEmpty());
        hello.start();
        assertTrue("version 2's tools right after start", registry.tool("goodbye").isPresent());
        assertTrue(registry.tool("slow").isEmpty());
        assertEquals("2.0.0", hello.getVersion().toString());
        assertEquals("Hello, V! (v2)", call("hello", "{\"name\":\"V\"}").content().get(0).get("text").asText());
    }

    @Test
    public void stoppingABundleRemovesItsToolsAndOnlyThose() throws Exception {
        await("both plugins", () -> registry.tool("hello").isPresent() && registry.tool("calculate").isPresent());
        installed("dev.plugboard.fixtures.hello").stop();
        await("hello to go", () -> registry.tool("hello").isEmpty());
        assertTrue(registry.tool("calculate").isPresent());
        installed("dev.plugboard.fixtures.hello").start();
        await("hello to return", () -> registry.tool("hello").isPresent());
    }
}
