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

describe('bad input in the stateless revision (2026-07-28) and in the new methods', () => {
  let ws;
  let server;
  const meta = (extra = {}) => ({
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientCapabilities': {},
    ...extra,
  });
  const headers = (method, name, extra = {}) => ({
    ...JSON_HEADERS,
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': method,
    ...(name ? { 'mcp-name': name } : {}),
    ...extra,
  });
  const stateless = (id, method, params, hdrs) =>
    send(server.url, { headers: hdrs ?? headers(method, params?.name ?? params?.uri), body: rpc(id, method, params) });

  before(async () => {
    ws = workspace('plugboard-essentials', 'plugboard-conformance');
    server = await serve(ws);
  });

  after(async () => {
    await server?.stop();
    ws?.dispose();
  });

  it('answers a missing or mismatched version header with 400 and -32020', async () => {
    const noHeader = await send(server.url, {
      headers: { ...JSON_HEADERS, 'mcp-method': 'tools/list' },
      body: rpc(1, 'tools/list', { _meta: meta() }),
    });
    assert.equal(noHeader.status, 400);
    assert.equal(noHeader.json.error.code, -32020);
    assert.equal(noHeader.json.id, 1);
    const mismatch = await stateless(2, 'tools/list', { _meta: meta({ 'io.modelcontextprotocol/protocolVersion': '2099-01-01' }) });
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.json.error.code, -32020);
  });

  it('answers a request without the required _meta with 400 and -32602', async () => {
    for (const params of [{}, { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } }]) {
      const r = await stateless(3, 'tools/list', params);
      assert.equal(r.status, 400);
      assert.equal(r.json.error.code, -32602);
    }
  });

  it('answers an unsupported version with 400 and -32022 listing the supported ones', async () => {
    const r = await stateless(4, 'tools/list', { _meta: meta({ 'io.modelcontextprotocol/protocolVersion': '1999-01-01' }) },
      headers('tools/list', null, { 'mcp-protocol-version': '1999-01-01' }));
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, -32022);
    assert.deepEqual(r.json.error.data.supported, ['2026-07-28']);
    assert.equal(r.json.error.data.requested, '1999-01-01');
  });

  it('checks Mcp-Method and Mcp-Name against the body', async () => {
    const method = await stateless(5, 'tools/list', { _meta: meta() }, headers('prompts/list'));
    assert.equal(method.status, 400);
    assert.equal(method.json.error.code, -32020);
    const missingName = await stateless(6, 'tools/call', { name: 'calculate', arguments: { expression: '1' }, _meta: meta() },
      headers('tools/call'));
    assert.equal(missingName.json.error.code, -32020);
    const wrongName = await stateless(7, 'tools/call', { name: 'calculate', arguments: { expression: '1' }, _meta: meta() },
      headers('tools/call', 'hash'));
    assert.equal(wrongName.json.error.code, -32020);
    const encoded = await stateless(8, 'tools/call', { name: 'calculate', arguments: { expression: '1' }, _meta: meta() },
      headers('tools/call', `=?base64?${Buffer.from('calculate').toString('base64')}?=`));
    assert.equal(encoded.status, 200);
    assert.equal(encoded.json.result.resultType, 'complete');
  });

  it('answers removed and unknown methods with 404 and -32601', async () => {
    for (const method of ['initialize', 'ping', 'logging/setLevel', 'resources/subscribe', 'no/such']) {
      const r = await stateless(9, method, { _meta: meta(), uri: 'test://static-text' }, headers(method));
      assert.equal(r.status, 404, method);
      assert.equal(r.json.error.code, -32601, method);
    }
  });

  it('answers an unknown resource with -32602 carrying the URI', async () => {
    const r = await stateless(10, 'resources/read', { uri: 'test://nope', _meta: meta() });
    assert.equal(r.json.error.code, -32602);
    assert.equal(r.json.error.data.uri, 'test://nope');
  });

  it('answers a missing client capability with 400 and -32021', async () => {
    const r = await stateless(11, 'tools/call', { name: 'test_missing_capability', arguments: {}, _meta: meta() });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, -32021);
    assert.deepEqual(r.json.error.data.requiredCapabilities, { sampling: {} });
  });

  it('refuses a tampered requestState and malformed input responses with -32602', async () => {
    const caps = meta({ 'io.modelcontextprotocol/clientCapabilities': { elicitation: {} } });
    const first = await stateless(12, 'tools/call', { name: 'test_input_required_result_request_state', arguments: {}, _meta: caps });
    assert.equal(first.json.result.resultType, 'input_required');
    const state = first.json.result.requestState;
    const tampered = await stateless(13, 'tools/call', {
      name: 'test_input_required_result_request_state', arguments: {}, _meta: caps,
      requestState: `${state}x`, inputResponses: { confirm: { action: 'accept', content: { ok: true } } },
    });
    assert.equal(tampered.json.error.code, -32602);
    assert.match(tampered.json.error.message, /requestState/);
    const malformed = await stateless(14, 'tools/call', {
      name: 'test_input_required_result_request_state', arguments: {}, _meta: caps,
      requestState: state, inputResponses: { confirm: 12345 },
    });
    assert.equal(malformed.json.error.code, -32602);
    const notAnObject = await stateless(15, 'tools/call', {
      name: 'test_input_required_result_request_state', arguments: {}, _meta: caps, inputResponses: [1],
    });
    assert.equal(notAnObject.json.error.code, -32602);
  });

  it('answers bad prompt, completion and resource requests in both revisions', async () => {
    const init = await send(server.url, {
      headers: JSON_HEADERS,
      body: rpc(1, 'initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } }),
    });
    const session = { ...JSON_HEADERS, 'mcp-session-id': init.headers['mcp-session-id'] };
    const legacy = (id, method, params) => send(server.url, { headers: session, body: rpc(id, method, params) });

    const missingArg = await legacy(20, 'prompts/get', { name: 'test_prompt_with_arguments', arguments: { arg1: 'x' } });
    assert.equal(missingArg.json.error.code, -32602);
    assert.match(missingArg.json.error.message, /'arg2' is required/);
    const unknownPrompt = await legacy(21, 'prompts/get', { name: 'nope' });
    assert.equal(unknownPrompt.json.error.code, -32602);
    const badRef = await legacy(22, 'completion/complete', { ref: { type: 'ref/tool', name: 'x' }, argument: { name: 'a', value: '' } });
    assert.equal(badRef.json.error.code, -32602);
    const unknownResource = await legacy(23, 'resources/read', { uri: 'test://missing' });
    assert.equal(unknownResource.json.error.code, -32002);
    const subscribeUnknown = await legacy(24, 'resources/subscribe', { uri: 'test://missing' });
    assert.equal(subscribeUnknown.json.error.code, -32002);
    const noUri = await legacy(25, 'resources/read', {});
    assert.equal(noUri.json.error.code, -32602);

    const modernPrompt = await stateless(26, 'prompts/get', { name: 'test_prompt_with_arguments', arguments: {}, _meta: meta() });
    assert.equal(modernPrompt.status, 400);
    assert.equal(modernPrompt.json.error.code, -32602);
  });
});
