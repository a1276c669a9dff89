/**
 * The catalogue as plugins see it: read it through the {@link dev.plugboard.api.catalog.CatalogView}
 * service, follow it with a {@link dev.plugboard.api.catalog.CatalogListener} service, and announce
 * changes behind a plugin's entries through the {@link dev.plugboard.api.catalog.CatalogEvents}
 * service. The host registers the views and the events service.
 */
@Export
@Version("1.0.0")
package dev.plugboard.api.catalog;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
