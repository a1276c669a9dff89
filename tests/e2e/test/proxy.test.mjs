// The proxy in the real distribution: an mcpServers block pasted into config/mcp-servers.json puts
// server-everything's tools behind Plugboard, and the official TypeScript SDK client gets from
// Plugboard the same results it gets from the upstream directly.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema, LoggingMessageNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { Client as ClientV2, StreamableHTTPClientTransport as StreamableHTTPClientTransportV2 } from '@modelcontextprotocol/client';
import { launcher, serve, until, workspace, writeConfigFile } from './support/plugboard.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const node = join(here, '..', 'node_modules', 'node', 'bin', 'node');
const everything = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');
const upstream = { command: node, args: [everything, 'stdio'] };

/** Writes the servers file in one step, as an editor's save does. */
function writeServers(config, servers) {
  writeConfigFile(config, 'mcp-servers.json', { mcpServers: servers });
}

describe('the proxy', () => {
  let ws;
  let server;
  let config;
  let direct;

  before(async () => {
    ws = workspace('plugboard-essentials', 'plugboard-proxy');
    config = join(ws.root, 'config');
    mkdirSync(config);
    server = await serve(ws, ['--config', config]);
    // declaring what the proxy declares upstream (it passes these requests on), so both see the same tools
    direct = new Client({ name: 'plugboard-e2e-direct', version: '1.0.0' },
      { capabilities: { elicitation: {}, sampling: {}, roots: {} } });
    await direct.connect(new StdioClientTransport(upstream));
  });

  after(async () => {
    await direct?.close();
    await server?.stop();
    ws?.dispose();
  });

  it('serves a pasted upstream with the results of the upstream itself, and drops it when removed', async () => {
    const client = new Client({ name: 'plugboard-e2e-proxy', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    try {
      const names = async () => (await client.listTools()).tools.map((t) => t.name);
      assert.ok(!(await names()).some((n) => n.startsWith('everything__')));

      writeServers(config, { everything: upstream });
      await until('the upstream tools', async () => (await names()).includes('everything__echo'));

      const upstreamTools = (await direct.listTools()).tools;
      const proxied = (await client.listTools()).tools.filter((t) => t.name.startsWith('everything__'));
      assert.deepEqual(proxied.map((t) => t.name).sort(), upstreamTools.map((t) => `everything__${t.name}`).sort());
      const echo = proxied.find((t) => t.name === 'everything__echo');
      assert.deepEqual(echo.inputSchema, upstreamTools.find((t) => t.name === 'echo').inputSchema);

      for (const [tool, args] of [['echo', { message: 'same' }], ['get-sum', { a: 19, b: 23 }],
        ['get-structured-content', { location: 'New York' }]]) {
        const viaPlugboard = await client.callTool({ name: `everything__${tool}`, arguments: args });
        const viaUpstream = await direct.callTool({ name: tool, arguments: args });
        assert.deepEqual(viaPlugboard, viaUpstream, tool);
      }

      writeServers(config, {});
      await until('the upstream tools to go', async () => !(await names()).some((n) => n.startsWith('everything__')));
      assert.ok((await names()).includes('calculate'));
    } finally {
      await client.close();
    }
  });
});

/** Starts a fixture upstream server that prints "listening PORT"; resolves with it and its port. */
async function startFixture(file) {
  const child = spawn(node, [join(here, 'support', 'upstreams', file)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const m = line.match(/^listening (\d+)$/);
      if (m) {
        resolve(Number(m[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
  return { child, port };
}

const answering = { elicitation: {}, sampling: {}, roots: {} };

/** A 2025-11-25 session client (TypeScript SDK 1.x) that answers what a server asks. */
function sessionClient() {
  const c = new Client({ name: 'plugboard-e2e-session', version: '1.0.0' }, { capabilities: answering });
  c.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { name: 'Alice' } }));
  c.setRequestHandler(CreateMessageRequestSchema, async () => ({
    role: 'assistant', content: { type: 'text', text: 'Paris' }, model: 'e2e-model', stopReason: 'endTurn',
  }));
  c.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: 'file:///work', name: 'work' }] }));
  return c;
}

/** A client that negotiates the stateless revision 2026-07-28 (the SDK 2.x client) and answers the same. */
function statelessClient() {
  const c = new ClientV2({ name: 'plugboard-e2e-stateless', version: '1.0.0' }, {
    capabilities: answering, versionNegotiation: { mode: 'auto' },
  });
  c.setRequestHandler('elicitation/create', async (request) => {
    const props = Object.keys(request.params.requestedSchema?.properties ?? {});
    return { action: 'accept', content: Object.fromEntries(props.map((p) => [p, p === 'ok' ? true : 'Alice'])) };
  });
  c.setRequestHandler('sampling/createMessage', async () => ({
    role: 'assistant', content: { type: 'text', text: 'Paris' }, model: 'e2e-model', stopReason: 'endTurn',
  }));
  c.setRequestHandler('roots/list', async () => ({ roots: [{ uri: 'file:///work', name: 'work' }] }));
  return c;
}

const textOf = (r) => r.content.find((c) => c.type === 'text')?.text;

describe('the proxy across transports and protocol eras', () => {
  let upstreamWs;
  let upstreamServer;
  let pipedWs;
  let ws;
  let server;
  let sse;
  let cut;

  before(async () => {
    upstreamWs = workspace('plugboard-essentials', 'plugboard-conformance');
    upstreamServer = await serve(upstreamWs);
    pipedWs = workspace('plugboard-essentials', 'plugboard-conformance');
    sse = await startFixture('sse-2024.mjs');
    cut = await startFixture('cut-stream.mjs');
    ws = workspace('plugboard-essentials', 'plugboard-proxy');
    const config = join(ws.root, 'config');
    mkdirSync(config);
    writeServers(config, {
      fresh: { url: upstreamServer.url },
      pinned: { url: upstreamServer.url, protocolVersion: '2025-11-25' },
      old: { url: `http://127.0.0.1:${sse.port}/sse`, type: 'sse' },
      cut: { url: `http://127.0.0.1:${cut.port}/mcp` },
      asking: { command: node, args: [join(here, 'support', 'upstreams', 'asking.mjs')] },
      piped: {
        command: launcher, args: ['stdio', '--bundles', pipedWs.deploy, '--data', pipedWs.data],
        protocolVersion: '2026-07-28',
      },
    });
    server = await serve(ws, ['--config', config]);
    const probe = new Client({ name: 'plugboard-e2e-probe', version: '1.0.0' });
    await probe.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    try {
      const wanted = ['fresh__test_simple_text', 'pinned__test_simple_text', 'old__shout', 'cut__slow_echo', 'asking__greet',
        'piped__test_simple_text'];
      await until('every upstream\'s tools', async () => {
        const names = [];
        let cursor;
        do {
          const page = await probe.listTools(cursor === undefined ? {} : { cursor });
          names.push(...page.tools.map((t) => t.name));
          cursor = page.nextCursor;
        } while (cursor !== undefined);
        return wanted.every((n) => names.includes(n));
      });
    } catch (e) {
      throw new Error(`${e.message}; the proxy's log:\n${server.log.filter((l) => /Upstream|proxy/.test(l)).join('\n')}`);
    } finally {
      await probe.close();
    }
  });

  after(async () => {
    await server?.stop();
    await upstreamServer?.stop();
    sse?.child.kill();
    cut?.child.kill();
    ws?.dispose();
    upstreamWs?.dispose();
    pipedWs?.dispose();
  });

  it('negotiates each upstream\'s revision: server/discover finds 2026-07-28, a pinned entry keeps 2025-11-25, SSE is 2024-11-05\'s transport', async () => {
    // the full report (with each upstream's revision) is for the admin key; the open probe shows states only
    const admin = readFileSync(join(ws.data, 'admin.key'), 'utf8').trim();
    const health = await (await fetch(new URL('/health/ready', server.url),
      { headers: { Authorization: `Bearer ${admin}` } })).json();
    const upstreams = health.plugins.proxy.upstreams;
    assert.equal(upstreams.fresh.protocolVersion, '2026-07-28');
    assert.equal(upstreams.pinned.protocolVersion, '2025-11-25');
    assert.equal(upstreams.piped.protocolVersion, '2026-07-28');
    assert.equal(upstreams.piped.transport, 'stdio');
    assert.equal(upstreams.old.transport, 'sse');
    assert.equal(upstreams.old.state, 'connected');

    const client = sessionClient();
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    try {
      const direct = new Client({ name: 'plugboard-e2e-direct', version: '1.0.0' });
      await direct.connect(new StreamableHTTPClientTransport(new URL(upstreamServer.url)));
      const viaUpstream = await direct.callTool({ name: 'test_simple_text', arguments: {} });
      await direct.close();
      assert.deepEqual(await client.callTool({ name: 'fresh__test_simple_text', arguments: {} }), viaUpstream);
      assert.deepEqual(await client.callTool({ name: 'pinned__test_simple_text', arguments: {} }), viaUpstream);
      assert.deepEqual(await client.callTool({ name: 'piped__test_simple_text', arguments: {} }), viaUpstream);
      assert.equal(textOf(await client.callTool({ name: 'old__shout', arguments: { word: 'quiet' } })), 'QUIET');
    } finally {
      await client.close();
    }
  });

  for (const [era, make] of [['a 2025-11-25 session client', sessionClient], ['a stateless 2026-07-28 client', statelessClient]]) {
    it(`passes what upstreams of both eras ask on to ${era}, and the answers back`, async () => {
      const client = make();
      await client.connect(era.includes('stateless') ? new StreamableHTTPClientTransportV2(new URL(server.url))
        : new StreamableHTTPClientTransport(new URL(server.url)));
      try {
        // a 2025-11-25 stdio upstream asks with server-to-client requests during the call
        assert.equal(textOf(await client.callTool({ name: 'asking__greet', arguments: {} })), 'Hello, Alice!');
        assert.equal(textOf(await client.callTool({ name: 'asking__capital', arguments: {} })), 'The model said: Paris (e2e-model)');
        assert.equal(textOf(await client.callTool({ name: 'asking__roots', arguments: {} })), 'Roots: file:///work');
        // a 2026-07-28 upstream answers with input-required results, over one round or several
        assert.equal(textOf(await client.callTool({ name: 'fresh__test_input_required_result_elicitation', arguments: {} })),
          'Hello, Alice!');
        assert.match(textOf(await client.callTool({ name: 'fresh__test_input_required_result_multiple_inputs', arguments: {} })),
          /Name: Alice; Greeting: Paris; Roots: 1/);
        assert.match(textOf(await client.callTool({ name: 'fresh__test_input_required_result_multi_round', arguments: {} })),
          /Alice/);
        // the same from a 2026-07-28 upstream over stdio
        assert.equal(textOf(await client.callTool({ name: 'piped__test_input_required_result_elicitation', arguments: {} })),
          'Hello, Alice!');
      } finally {
        await client.close();
      }
    });
  }

  it('passes an upstream\'s log messages to the calling client at the client\'s level', async () => {
    const client = sessionClient();
    const logged = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => logged.push(n.params));
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    try {
      await client.setLoggingLevel('info');
      assert.equal(textOf(await client.callTool({ name: 'asking__chatty', arguments: {} })), 'done');
      assert.deepEqual(logged.map((l) => [l.level, l.data]), [['info', 'working on it']]);
    } finally {
      await client.close();
    }
  });

  it('resumes an upstream call whose stream was cut, with Last-Event-ID, and keeps its progress', async () => {
    const client = sessionClient();
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    try {
      const progress = [];
      const result = await client.callTool({ name: 'cut__slow_echo', arguments: { text: 'still here' } }, undefined,
        { onprogress: (p) => progress.push(p.progress) });
      assert.equal(textOf(result), 'echo after the cut: still here (resumed true)');
      assert.deepEqual(progress, [1]);
    } finally {
      await client.close();
    }
  });

  it('answers a killed SSE upstream\'s tools with an error naming it, and the other upstreams\' tools as before', async () => {
    const client = sessionClient();
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    try {
      sse.child.kill('SIGKILL');
      await until('the SSE upstream to be seen gone', async () => {
        const health = await (await fetch(new URL('/health/ready', server.url))).json();
        return health.plugins.proxy.upstreams.old.state !== 'connected';
      });
      const failed = await client.callTool({ name: 'old__shout', arguments: { word: 'gone' } });
      assert.equal(failed.isError, true);
      assert.match(textOf(failed), /^Upstream 'old' (is not connected|failed)/);
      assert.equal(textOf(await client.callTool({ name: 'asking__greet', arguments: {} })), 'Hello, Alice!');
      assert.match(textOf(await client.callTool({ name: 'fresh__test_simple_text', arguments: {} })), /simple text/i);
    } finally {
      await client.close();
    }
  });
});
