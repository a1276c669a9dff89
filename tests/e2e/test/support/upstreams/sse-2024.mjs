// A 2024-11-05 era upstream on the HTTP+SSE transport (GET /sse, then POST /messages), written with
// the official TypeScript SDK. Prints "listening PORT" when ready. Usage: node sse-2024.mjs
import { createServer } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { z } from 'zod';

const transports = new Map();

function server() {
  const s = new McpServer({ name: 'old-sse-upstream', version: '1.0.0' });
  s.registerTool('shout', { description: 'Upper-cases a word', inputSchema: { word: z.string() } },
    async ({ word }) => ({ content: [{ type: 'text', text: word.toUpperCase() }] }));
  return s;
}

const http = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (req.method === 'GET' && url.pathname === '/sse') {
    const transport = new SSEServerTransport('/messages', res);
    transports.set(transport.sessionId, transport);
    res.on('close', () => transports.delete(transport.sessionId));
    await server().connect(transport);
  } else if (req.method === 'POST' && url.pathname === '/messages') {
    const transport = transports.get(url.searchParams.get('sessionId'));
    if (!transport) {
      res.writeHead(404).end('no such session');
      return;
    }
    await transport.handlePostMessage(req, res);
  } else {
    res.writeHead(404).end();
  }
});
http.listen(0, '127.0.0.1', () => console.log(`listening ${http.address().port}`));
