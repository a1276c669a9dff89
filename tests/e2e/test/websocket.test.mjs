// The MCP-over-WebSocket door (`websocket.enabled=true`) of `plugboard serve` with credentials
// required, driven by the official TypeScript SDK's WebSocketClientTransport over Node's WebSocket.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { WebSocketClientTransport } from '@modelcontextprotocol/sdk/client/websocket.js';
import { LoggingMessageNotificationSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { serve, workspace } from './support/plugboard.mjs';
import { Waiter } from './support/queue.mjs';

const MAX_BYTES = 65536;
const NodeWebSocket = globalThis.WebSocket;

/**
 * Connects the SDK's transport. It opens `new WebSocket(url, 'mcp')`, which cannot carry headers;
 * the WebSocket it gets here is Node's, with the Authorization header added to its handshake.
 */
async function connect(url, authorization, sockets = []) {
  globalThis.WebSocket = class extends NodeWebSocket {
    constructor(target, protocols) {
      super(target, authorization ? { protocols: [protocols].flat(), headers: { Authorization: authorization } }
        : protocols);
      sockets.push(this);
    }
  };
  try {
    const client = new Client({ name: 'plugboard-e2e-websocket', version: '1.0.0' });
    const changes = new Waiter();
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => changes.push('tools'));
    const logs = new Waiter();
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => logs.push(n.params.data));
    await client.connect(new WebSocketClientTransport(new URL(url)));
    return { client, changes, logs, socket: sockets.at(-1) };
  } finally {
    globalThis.WebSocket = NodeWebSocket;
  }
}

/** The status of a WebSocket handshake sent with plain HTTP, and the body of a refusal. */
function handshake(url, headers) {
  return new Promise((resolve, reject) => {
    const req = request(url.replace(/^ws/, 'http'), {
      headers: {
        Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol': 'mcp', ...headers,
      },
    });
    req.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode, body: '' });
    });
    req.on('response', (response) => {
      let body = '';
      response.on('data', (chunk) => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('MCP over WebSocket with the TypeScript SDK client', () => {
  let ws;
  let server;
  let url;
  let key;

  before(async () => {
    ws = workspace('plugboard-essentials', 'plugboard-conformance');
    const config = join(ws.root, 'config');
    mkdirSync(config);
    writeFileSync(join(config, 'security.json'), '{"requireCredentials": true}');
    server = await serve(ws, ['--config', config, '--set', 'websocket.enabled=true',
      '--set', `http.maxBodyBytes=${MAX_BYTES}`]);
    url = server.url.replace(/^http/, 'ws').replace(/\/mcp$/, '/mcp/ws');
    key = `Bearer ${readFileSync(join(ws.data, 'admin.key'), 'utf8').trim()}`;
  });

  after(async () => {
    await server?.stop();
    ws?.dispose();
  });

  it('initializes, lists and calls tools, and hears progress, log messages and list changes', async () => {
    const { client, changes, logs } = await connect(url, key);
    try {
      assert.equal(client.getServerVersion().name, 'plugboard');
      const { tools } = await client.listTools();
      assert.ok(tools.some((t) => t.name === 'calculate'), 'calculate is listed');

      const result = await client.callTool({ name: 'calculate', arguments: { expression: '6 * 7' } });
      assert.equal(result.structuredContent.result, 42);

      // The server sends all three progress notifications before the result (McpWebSocketTest checks
      // the order on the wire). The SDK handles notifications a microtask later than responses and
      // forgets a request's progress handler at its response, so a notification that arrives in the
      // same read as the result can be dropped by the client: only the order of those seen is checked.
      const progress = [];
      const slow = await client.callTool({ name: 'test_tool_with_progress', arguments: {} }, undefined,
        { onprogress: (p) => progress.push(p.progress) });
      assert.equal(slow.content[0].text, 'Progress completed');
      assert.ok(progress.length >= 1 && progress[0] === 0, `progress seen: ${progress}`);
      assert.deepEqual(progress, [0, 50, 100].slice(0, progress.length));

      // log messages of a call, at the level the session asked for
      await client.setLoggingLevel('info');
      const logged = await client.callTool({ name: 'test_tool_with_logging', arguments: {} });
      assert.equal(logged.content[0].text, 'Tool with logging executed successfully');
      assert.equal(await logs.next('the first log message'), 'Tool execution started');
      assert.equal(await logs.next('the second log message'), 'Tool processing data');
      assert.equal(await logs.next('the third log message'), 'Tool execution completed');

      ws.drop('fixture-hello-v1', 'hello.jar');
      assert.equal(await changes.next('notifications/tools/list_changed'), 'tools');
      const names = (await client.listTools()).tools.map((t) => t.name);
      assert.ok(names.includes('hello'), 'the dropped bundle\'s tool is listed once the change is announced');
      const hello = await client.callTool({ name: 'hello', arguments: { name: 'socket' } });
      assert.equal(hello.isError ?? false, false);
    } finally {
      await client.close();
    }
  });

  it('refuses a handshake without a valid credential (401) or without the mcp subprotocol', async () => {
    await assert.rejects(connect(url, null));
    await assert.rejects(connect(url, 'Bearer pb_not-a-key'));
    const anonymous = await handshake(url, {});
    assert.equal(anonymous.status, 401);
    assert.doesNotMatch(anonymous.body, /Exception|at dev\./);
    assert.equal((await handshake(url, { Authorization: key })).status, 101);
    assert.equal((await handshake(url, { Authorization: key, 'Sec-WebSocket-Protocol': 'chat' })).status, 400);
    assert.equal((await handshake(url, { Authorization: key, Origin: 'https://evil.example' })).status, 403);
  });

  it('closes the connection with 1009 on a message over the size limit', async () => {
    const sockets = [];
    const { client, socket } = await connect(url, key, sockets);
    const closed = new Promise((resolve) => socket.addEventListener('close', (e) => resolve(e.code)));
    client.callTool({ name: 'echo', arguments: { text: 'x'.repeat(MAX_BYTES) } }).catch(() => {});
    assert.equal(await closed, 1009);
  });
});
