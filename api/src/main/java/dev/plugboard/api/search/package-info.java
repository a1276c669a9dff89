/**
 * Searching the catalogue: full-text, vector or hybrid, with filters. The search plugin registers
 * the {@link dev.plugboard.api.search.SearchService}; other plugins and the host's front doors use it.
 */
@Export
@Version("1.1.0")
package dev.plugboard.api.search;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
