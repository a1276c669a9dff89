/**
 * Plugins' own entries in the host's readiness report ({@code /health/ready}): register a
 * {@link dev.plugboard.api.health.HealthContributor} service.
 */
@Export
@Version("1.0.0")
package dev.plugboard.api.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
