/**
 * Prompts: methods of an {@link dev.plugboard.api.McpProvider} component that render message
 * templates for the client.
 *
 * <p>Parameters are the prompt's arguments (strings; {@code Optional<String>} or a default makes
 * one optional); a {@link dev.plugboard.api.context.RequestContext} parameter may be declared. The
 * method returns a {@code String} (one user message), a
 * {@link dev.plugboard.api.content.Message}, a list of messages, or a
 * {@link dev.plugboard.api.prompt.PromptResult}.
 */
@Export
@Version("1.0.0")
package dev.plugboard.api.prompt;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
