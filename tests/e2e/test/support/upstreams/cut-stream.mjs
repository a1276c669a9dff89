// A 2025-11-25 Streamable HTTP upstream, written with the official TypeScript SDK, that closes a
// call's SSE stream mid-call (after a progress event) and answers only after the client resumed it
// with Last-Event-ID. Prints "listening PORT" when ready.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { InMemoryEventStore } from '@modelcontextprotocol/sdk/examples/shared/inMemoryEventStore.js';
import { z } from 'zod';

const transports = new Map();
let resumed = 0;

function server() {
  const s = new McpServer({ name: 'cut-stream-upstream', version: '1.0.0' });
  s.registerTool('slow_echo', { description: 'Echoes after its stream was cut', inputSchema: { text: z.string() } },
    async ({ text }, extra) => {
      const token = extra._meta?.progressToken;
      if (token !== undefined) {
        await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: 1, total: 2 } });
      }
      extra.closeSSEStream?.();
      const before = resumed;
      for (let i = 0; i < 200 && resumed === before; i++) {
        await new Promise((r) => setTimeout(r, 25));
      }
      return { content: [{ type: 'text', text: `echo after the cut: ${text} (resumed ${resumed > before})` }] };
    });
  return s;
}

const http = createServer(async (req, res) => {
  const id = req.headers['mcp-session-id'];
  if (req.method === 'GET' && req.headers['last-event-id']) {
    resumed++;
  }
  let transport = id ? transports.get(id) : undefined;
  if (!transport) {
    if (req.method !== 'POST' || id) {
      res.writeHead(404).end();
      return;
    }
    transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore: new InMemoryEventStore(),
      retryInterval: 100,
      onsessioninitialized: (sid) => transports.set(sid, transport),
    });
    await server().connect(transport);
  }
  await transport.handleRequest(req, res);
});
http.listen(0, '127.0.0.1', () => console.log(`listening ${http.address().port}`));
