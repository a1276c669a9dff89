/**
 * What a running tool, prompt or resource can ask of the client: elicitation (asking the user),
 * sampling (asking the client's model) and the client's roots. Requests go through
 * {@link dev.plugboard.api.context.RequestContext}, which hides how the protocol revision carries them
 * (server-to-client requests, or input-required results that the client answers by retrying).
 *
 * <p>Under the stateless revision a method that asks the client may run more than once for one
 * call: it runs until it asks for an answer the client has not given yet, and runs again from the
 * start when the client retries with the answers. Do the asking before any side effect.
 */
@Export
@Version("1.0.0")
package dev.plugboard.api.client;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
