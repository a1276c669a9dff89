/**
 * Text embeddings computed by a local model in the host, for any plugin: no network, no key.
 */
@Export
@Version("1.0.0")
package dev.plugboard.api.embedding;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
