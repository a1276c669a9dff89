/**
 * Configuration files for plugins, the way the host reads its own: {@link dev.plugboard.api.config.Secrets}
 * resolves {@code ${env:NAME}} and {@code ${file:path}} references in values, and
 * {@link dev.plugboard.api.config.ConfigFileWatch} follows a file and reports its content when it
 * changes, so that edits apply live.
 */
@Export
@Version("1.0.0")
package dev.plugboard.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
