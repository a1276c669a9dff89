/**
 * Events a plugin reports about the catalogue, through the {@link dev.plugboard.api.catalog.CatalogEvents}
 * service that the host registers.
 */
@Export
@Version("1.0.0")
package dev.plugboard.api.catalog;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
