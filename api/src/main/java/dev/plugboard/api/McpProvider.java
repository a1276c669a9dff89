package dev.plugboard.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.annotation.bundle.Requirement;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Marks a Declarative Services component whose annotated methods the host serves over MCP.
 *
 * <p>Put it on the component class next to {@code @Component(service = YourClass.class)}. The
 * component then registers with the service property {@value #PROPERTY}{@code =true}; the host
 * tracks every such service (the whiteboard pattern), reads its
 * {@link dev.plugboard.api.tool.Tool @Tool} methods when it registers and forgets them when it goes.
 *
 * <p>The annotation also makes the bundle require the Plugboard host capability, so a plugin
 * deployed into a framework without the host fails to resolve instead of silently doing nothing.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@ComponentPropertyType
@Requirement(namespace = "osgi.implementation", name = McpProvider.HOST, version = "1.0.0")
public @interface McpProvider {

    /** Prefix of the generated service property. */
    String PREFIX_ = "plugboard.";

    /** The service property the host tracks. */
    String PROPERTY = "plugboard.mcp.provider";

    /**
     * A service property ({@code true}) for a component whose tools are about the catalogue itself
     * (searching it, describing its entries). When the host lists tools in search mode, it lists
     * only these, so that a client facing thousands of tools pays context for a few.
     */
    String META = "plugboard.mcp.meta";

    /** Name of the {@code osgi.implementation} capability that the host provides. */
    String HOST = "dev.plugboard.host";
}
