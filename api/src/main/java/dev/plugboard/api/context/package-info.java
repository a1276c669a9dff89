/**
 * What a running tool can ask of the host: progress reporting, logging to the client, cancellation,
 * and the caller's identity. The host implements these types; plugins only call them. The protocol
 * revision the client speaks is hidden behind them.
 */
@Export
@Version("1.0.0")
package dev.plugboard.api.context;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
