/**
 * Completion of prompt arguments and resource-template variables, supplied by the plugin that
 * owns them.
 */
@Export
@Version("1.0.0")
package dev.plugboard.api.completion;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
