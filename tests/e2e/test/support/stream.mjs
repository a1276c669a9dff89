// The SDK's Streamable HTTP client opens its GET stream in the background after connect() returns,
// and a notification sent before that stream is open never reaches the client (the protocol keeps
// nothing for it). Tests that make a change right after connecting wait for the stream first.

/**
 * A fetch for StreamableHTTPClientTransport, and a promise that resolves once the transport's GET
 * stream has been answered (the server attaches the stream before it answers).
 */
export function watchedFetch() {
  let opened;
  const streamOpen = new Promise((resolve) => { opened = resolve; });
  const watched = async (input, init) => {
    const response = await fetch(input, init);
    if (init?.method === 'GET' && response.ok) {
      opened();
    }
    return response;
  };
  return { fetch: watched, streamOpen };
}
