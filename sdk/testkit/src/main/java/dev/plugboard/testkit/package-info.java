/**
 * Test kit for Plugboard plugins: {@link dev.plugboard.testkit.PluginHost} starts a real host in the
 * test JVM with the plugin's bundle deployed, and {@link dev.plugboard.testkit.McpTestClient} talks
 * MCP to it over real HTTP on loopback, so a plugin's tests see exactly what a client sees: tool
 * lists and schemas, results, errors and {@code list_changed} notifications.
 *
 * <p>Use it from JUnit 5 tests, one host per test class or per test, closed after use:
 * <pre>{@code
 * try (PluginHost host = PluginHost.start(PluginHost.projectBundle());
 *      McpTestClient client = host.connect()) {
 *     CallResult r = client.callTool("greet", Map.of("name", "Ada"));
 *     assertEquals("Hi Ada!", r.text());
 * }
 * }</pre>
 */
package dev.plugboard.testkit;
