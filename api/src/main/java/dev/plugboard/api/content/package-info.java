/**
 * Content blocks shared by tool results, prompt messages and resources: text, images, audio,
 * resource links and embedded resources; and the messages that carry them.
 *
 * <p>Build them with the factories on {@link dev.plugboard.api.content.Content}. Binary data is held
 * as bytes; the host encodes it as base64 on the wire.
 */
@Export
@Version("1.0.0")
package dev.plugboard.api.content;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
