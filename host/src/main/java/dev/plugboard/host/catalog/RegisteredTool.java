package dev.plugboard.host.catalog;

import dev.plugboard.host.protocol.tools.ParamHeaders;
import dev.plugboard.host.protocol.tools.ToolDescriptor;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;

/**
 * A tool in the catalogue: how it is described, what runs it, who provides it, and how many calls
 * it may run at once.
 */
public final class RegisteredTool implements CatalogEntry {

    private final ToolDescriptor descriptor;
    private final ToolHandler handler;
    private final Provider provider;
    private final Semaphore permits;
    private final Duration timeout;
    private final ParamHeaders paramHeaders;
    private final Duration cacheFor;

    /**
     * @param descriptor what {@code tools/list} shows
     * @param handler what runs a call
     * @param provider where the tool comes from
     * @param maxConcurrentCalls how many calls may run at once
     * @throws IllegalArgumentException when the input schema's {@code x-mcp-header} annotations
     *         break the protocol's rules
     */
    public RegisteredTool(ToolDescriptor descriptor, ToolHandler handler, Provider provider, int maxConcurrentCalls) {
        this(descriptor, handler, provider, maxConcurrentCalls, null);
    }

    /**
     * @param descriptor what {@code tools/list} shows
     * @param handler what runs a call
     * @param provider where the tool comes from
     * @param maxConcurrentCalls how many calls may run at once
     * @param timeout the tool's own time limit, or null for the host's
     * @throws IllegalArgumentException when the input schema's {@code x-mcp-header} annotations
     *         break the protocol's rules
     */
    public RegisteredTool(ToolDescriptor descriptor, ToolHandler handler, Provider provider, int maxConcurrentCalls,
            Duration timeout) {
        this(descriptor, handler, provider, maxConcurrentCalls, timeout, null);
    }

    /**
     * @param descriptor what clients see
     * @param handler runs the tool
     * @param provider the component offering it
     * @param maxConcurrentCalls how many calls may run at once
     * @param timeout the tool's own time limit, or null for the host's
     * @param cacheFor how long its results may answer later calls with the same arguments, or null for never
     */
    public RegisteredTool(ToolDescriptor descriptor, ToolHandler handler, Provider provider, int maxConcurrentCalls,
            Duration timeout, Duration cacheFor) {
        this.cacheFor = cacheFor;
        this.timeout = timeout;
        this.descriptor = Objects.requireNonNull(descriptor);
        this.handler = Objects.requireNonNull(handler);
        this.provider = Objects.requireNonNull(provider);
        this.permits = new Semaphore(maxConcurrentCalls);
        this.paramHeaders = ParamHeaders.of(descriptor.inputSchema());
    }

    /** What {@code tools/list} shows. */
    public ToolDescriptor descriptor() {
        return descriptor;
    }

    /** The arguments HTTP clients mirror into {@code Mcp-Param-*} headers. */
    public ParamHeaders paramHeaders() {
        return paramHeaders;
    }

    /** The tool's name. */
    public String name() {
        return descriptor.name();
    }

    /** What runs a call. */
    public ToolHandler handler() {
        return handler;
    }

    @Override
    public String key() {
        return descriptor.name();
    }

    /** Where the tool comes from. */
    @Override
    public Provider provider() {
        return provider;
    }

    /** How long the tool's results may answer later calls with the same arguments; null for never. */
    public Duration cacheFor() {
        return cacheFor;
    }

    /** The tool's own time limit, or null for the host's. */
    public Duration timeout() {
        return timeout;
    }

    /** Limits concurrent calls. */
    public Semaphore permits() {
        return permits;
    }

    @Override
    public String toString() {
        return descriptor.name() + " from " + provider;
    }
}
