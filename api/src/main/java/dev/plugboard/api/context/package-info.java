/**
 * What a running tool, prompt or resource can ask of the host: progress reporting, logging to the
 * client, cancellation, the caller's identity, and input from the client (see
 * {@link dev.plugboard.api.client}). The host implements these types; plugins only call them. The protocol
 * revision the client speaks is hidden behind them.
 */
@Export
@Version("1.1.0")
package dev.plugboard.api.context;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
