// Benchmark peer: an MCP server built the way the official TypeScript SDK (1.32.2) documents a stateful
// Streamable HTTP server (docs/server.md and the simpleStreamableHttp / jsonResponseStreamableHttp examples):
// createMcpExpressApp(), one StreamableHTTPServerTransport and one McpServer per session, kept in a map keyed
// by session id. One tool, `echo`.
//
//   node server.mjs --port N --response json|sse
//
// --port 0 picks a free port. --response json sets enableJsonResponse: true (POSTed requests are answered with
// application/json); sse (the default) keeps the transport's default SSE responses. Prints exactly one line,
// `LISTENING <port>`, on stdout once the listener accepts connections. Logs nothing per request. Exits 0 on
// SIGTERM/SIGINT after closing every session.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod/v4';

const HOST = '127.0.0.1';

function usage(problem) {
    process.stderr.write(`ts-sdk-peer: ${problem}\nusage: node server.mjs --port N --response json|sse\n`);
    process.exit(2);
}

let args;
try {
    args = parseArgs({
        options: {
            port: { type: 'string', default: '0' },
            response: { type: 'string', default: 'sse' }
        },
        strict: true
    }).values;
} catch (e) {
    usage(e.message);
}
const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`bad --port ${args.port}`);
if (args.response !== 'json' && args.response !== 'sse') usage(`--response must be json or sse, not ${args.response}`);
const enableJsonResponse = args.response === 'json';

function newServer() {
    const server = new McpServer({ name: 'plugboard-bench-ts-sdk-peer', version: '0.1.0' });
    server.registerTool(
        'echo',
        {
            description: 'Echoes the message back',
            inputSchema: { message: z.string().describe('Text to echo') }
        },
        async ({ message }) => ({ content: [{ type: 'text', text: message }] })
    );
    return server;
}

/** Open sessions: session id -> transport. */
const transports = new Map();

function jsonRpcError(res, status, code, message) {
    res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });
}

// Host-header (DNS rebinding) validation for 127.0.0.1 plus express.json(), as the SDK sets it up.
const app = createMcpExpressApp({ host: HOST });

app.post('/mcp', async (req, res) => {
    try {
        const sessionId = req.headers['mcp-session-id'];
        if (sessionId !== undefined) {
            const transport = transports.get(sessionId);
            if (!transport) {
                // The SDK examples answer 400 here; the spec says 404 for an unknown or expired session.
                jsonRpcError(res, 404, -32001, 'Session not found');
                return;
            }
            await transport.handleRequest(req, res, req.body);
            return;
        }
        if (!isInitializeRequest(req.body)) {
            jsonRpcError(res, 400, -32000, 'Bad Request: No valid session ID provided');
            return;
        }
        const transport = new StreamableHTTPServerTransport({
            sessionIdGenerator: () => randomUUID(),
            enableJsonResponse,
            // Stored here, not after handleRequest, so a request racing the initialize response finds it.
            onsessioninitialized: (id) => {
                transports.set(id, transport);
            }
        });
        transport.onclose = () => {
            if (transport.sessionId !== undefined) transports.delete(transport.sessionId);
        };
        const server = newServer();
        await server.connect(transport);
        await transport.handleRequest(req, res, req.body);
    } catch (error) {
        process.stderr.write(`ts-sdk-peer: error handling POST: ${error?.stack ?? error}\n`);
        if (!res.headersSent) jsonRpcError(res, 500, -32603, 'Internal server error');
    }
});

// GET (standalone SSE stream) and DELETE (end the session) go to the session's transport.
async function existingSession(req, res) {
    const sessionId = req.headers['mcp-session-id'];
    if (sessionId === undefined) {
        jsonRpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
        return;
    }
    const transport = transports.get(sessionId);
    if (!transport) {
        jsonRpcError(res, 404, -32001, 'Session not found');
        return;
    }
    try {
        await transport.handleRequest(req, res);
    } catch (error) {
        process.stderr.write(`ts-sdk-peer: error handling ${req.method}: ${error?.stack ?? error}\n`);
        if (!res.headersSent) jsonRpcError(res, 500, -32603, 'Internal server error');
    }
}
app.get('/mcp', existingSession);
app.delete('/mcp', existingSession);

const httpServer = app.listen(port, HOST, (error) => {
    if (error) {
        process.stderr.write(`ts-sdk-peer: cannot listen on ${HOST}:${port}: ${error.message}\n`);
        process.exit(1);
    }
    process.stdout.write(`LISTENING ${httpServer.address().port}\n`);
});
// Node's defaults: no limit on connections; keep-alive 5 s. Nothing to tune for 1,000 sessions.

let stopping = false;
async function shutdown() {
    if (stopping) return;
    stopping = true;
    // A stuck shutdown must not hang the benchmark harness.
    setTimeout(() => {
        process.stderr.write('ts-sdk-peer: shutdown took more than 10 s, exiting\n');
        process.exit(1);
    }, 10_000).unref();
    httpServer.close();
    await Promise.allSettled([...transports.values()].map((t) => t.close()));
    transports.clear();
    httpServer.closeAllConnections();
    process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
