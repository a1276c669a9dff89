// Every kind of bad input, sent raw to the real distribution over HTTP and stdio.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { launcher, serve, workspace } from './support/plugboard.mjs';

/** Sends one HTTP request; resolves to { status, headers, body, json }. */
function send(url, { method = 'POST', headers = {}, body } = {}) {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: target.hostname, port: target.port, path: target.pathname, method, headers },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode, headers: res.headers, body: text, json });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const rpc = (id, method, params) => JSON.stringify({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });

describe('bad input over HTTP', () => {
  let ws;
  let server;
  let session;
  const post = (body, headers = {}) =>
    send(server.url, { headers: { ...JSON_HEADERS, 'mcp-session-id': session, ...headers }, body });

  before(async () => {
    ws = workspace('plugboard-essentials');
    server = await serve(ws, ['--set', 'http.maxBodyBytes=100000']);
    const init = await send(server.url, {
      headers: JSON_HEADERS,
      body: rpc(1, 'initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } }),
    });
    assert.equal(init.status, 200);
    session = init.headers['mcp-session-id'];
    assert.equal((await post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }))).status, 202);
  });

  after(async () => {
    await server?.stop();
    ws?.dispose();
  });

  it('answers malformed JSON with -32700', async () => {
    const r = await post('{"jsonrpc": "2.0", "id": 1, "method": ');
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, -32700);
  });

  it('answers an invalid request with -32600', async () => {
    for (const body of ['[]', '{"jsonrpc":"2.0","id":{},"method":"ping"}', '{"jsonrpc":"1.0","id":1,"method":"ping"}']) {
      const r = await post(body);
      assert.equal(r.status, 400, body);
      assert.equal(r.json.error.code, -32600, body);
    }
  });

  it('answers an unknown method with -32601', async () => {
    const r = await post(rpc(3, 'tools/destroy'));
    assert.equal(r.json.error.code, -32601);
    assert.equal(r.json.id, 3);
  });

  it('answers invalid params and arguments with -32602 naming the argument and the reason', async () => {
    const args = await post(rpc(4, 'tools/call', { name: 'hash', arguments: { text: 'x', algorithm: 'CRC7' } }));
    assert.equal(args.json.error.code, -32602);
    assert.match(args.json.error.message, /'algorithm' must be one of/);
    assert.equal(args.json.error.data.violations[0].argument, 'algorithm');
    const missing = await post(rpc(5, 'tools/call', { name: 'hash', arguments: {} }));
    assert.match(missing.json.error.message, /'text' is required/);
    const params = await post(rpc(6, 'logging/setLevel', { level: 'shout' }));
    assert.equal(params.json.error.code, -32602);
  });

  it('answers a body over the limit with 413', async () => {
    const r = await post(rpc(7, 'tools/call', { name: 'hash', arguments: { text: 'x'.repeat(200_000) } }));
    assert.equal(r.status, 413);
    assert.match(r.json.error.message, /100000 bytes/);
  });

  it('answers a wrong Content-Type with 415 and a wrong Accept with 406', async () => {
    assert.equal((await post(rpc(8, 'ping'), { 'content-type': 'text/plain' })).status, 415);
    assert.equal((await post(rpc(9, 'ping'), { accept: 'application/json' })).status, 406);
    const get = await send(server.url, { method: 'GET', headers: { accept: 'text/html', 'mcp-session-id': session } });
    assert.equal(get.status, 406);
  });

  it('answers an unknown session with 404 and a request before initialize with an error', async () => {
    const unknown = await post(rpc(10, 'tools/list'), { 'mcp-session-id': 'forged' });
    assert.equal(unknown.status, 404);
    const before = await send(server.url, { headers: JSON_HEADERS, body: rpc(11, 'tools/list') });
    assert.equal(before.status, 400);
    assert.match(before.json.error.message, /initialize/);
  });

  it('refuses a foreign Host or Origin with 403', async () => {
    const host = await post(rpc(12, 'ping'), { host: 'attacker.example:80' });
    assert.equal(host.status, 403);
    const origin = await post(rpc(13, 'ping'), { origin: 'http://attacker.example' });
    assert.equal(origin.status, 403);
  });

  it('keeps serving the session after all of that, without stack traces', async () => {
    const r = await post(rpc(14, 'tools/call', { name: 'calculate', arguments: { expression: '2+2' } }));
    assert.equal(r.status, 200);
    assert.equal(r.json.result.structuredContent.result, 4);
    assert.ok(!server.log.some((l) => /SEVERE/.test(l)), 'no severe errors logged');
  });
});

describe('bad input over stdio', () => {
  let ws;
  let child;
  let replies;

  before(() => {
    ws = workspace('plugboard-essentials');
    child = spawn(launcher, ['stdio', '--bundles', ws.deploy, '--data', ws.data], { stdio: ['pipe', 'pipe', 'pipe'] });
    const lines = createInterface({ input: child.stdout });
    const queue = [];
    const waiting = [];
    lines.on('line', (line) => (waiting.length ? waiting.shift()(line) : queue.push(line)));
    replies = () =>
      new Promise((resolve, reject) => {
        if (queue.length) return resolve(JSON.parse(queue.shift()));
        const timer = setTimeout(() => reject(new Error('no reply on stdout within 60 s')), 60_000);
        waiting.push((line) => {
          clearTimeout(timer);
          resolve(JSON.parse(line));
        });
      });
  });

  after(async () => {
    child.stdin.end();
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', resolve)));
    ws?.dispose();
  });

  const write = (line) => child.stdin.write(`${line}\n`);

  it('answers each bad line with a typed error and keeps going', async () => {
    write(rpc(1, 'tools/list'));
    assert.match((await replies()).error.message, /initialize/);
    write(rpc(2, 'initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } }));
    assert.equal((await replies()).result.protocolVersion, '2025-11-25');
    write('{oops');
    assert.equal((await replies()).error.code, -32700);
    write('{"jsonrpc":"2.0","id":true,"method":"ping"}');
    assert.equal((await replies()).error.code, -32600);
    write(rpc(3, 'no/such/method'));
    assert.equal((await replies()).error.code, -32601);
    write(rpc(4, 'tools/call', { name: 'calculate', arguments: { expression: [] } }));
    assert.equal((await replies()).error.code, -32602);
    write(rpc(5, 'ping'));
    assert.deepEqual((await replies()).result, {});
  });
});
