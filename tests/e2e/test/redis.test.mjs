// Several Plugboard nodes sharing one real redis-server (store.redis.url), driven by the TypeScript
// SDK client through a fetch that sends each request to the node the test chooses: a session moves
// between nodes, survives a node restart and ends on any node; a deploy on one node reaches clients on
// another; Redis killed and restarted under load loses nothing that was acknowledged.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { serve, until, workspace } from './support/plugboard.mjs';
import { Waiter } from './support/queue.mjs';

const REDIS = process.env.PLUGBOARD_REDIS_SERVER ?? 'redis-server';

/** A free loopback port. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts redis-server on a port (nothing saved to disk); resolves once it accepts connections. */
async function startRedis(port) {
  const check = spawnSync(REDIS, ['--version']);
  if (check.error) {
    throw new Error(`redis-server is needed for these tests (apt-get install -y redis-server): ${check.error.message}`);
  }
  const child = spawn(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = [];
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${log.join('\n')}`)), 20_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      log.push(line);
      if (line.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${log.join('\n')}`));
    });
  });
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    /** Ends the server at once, as a crash would. */
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) {
        return;
      }
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    /** A command through redis-cli, answered as text. */
    cli(...args) {
      return spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).stdout.trim();
    },
  };
}

/** Waits for a line in a node's log. */
function logged(node, pattern, ms) {
  return until(`"${pattern}" in the log`, () => node.log.some((l) => pattern.test(l)), ms);
}

/**
 * A fetch that sends each request to the node `route.next(method)` names, whatever URL the SDK
 * asks for; `route.served` records which node answered what.
 */
function routed(route) {
  return async (input, init) => {
    const method = init?.method ?? 'GET';
    const node = route.next(method);
    route.served.push({ node: node.name, method });
    return fetch(new URL(node.url), init);
  };
}

/** A route that sends POST and DELETE to `to()` and the GET stream to `stream()`. */
function route(to, stream = to) {
  const r = {
    served: [],
    next: (method) => (method === 'GET' ? stream() : to()),
  };
  return r;
}

async function connectVia(r, name = 'redis-e2e', changes) {
  const client = new Client({ name, version: '1.0.0' });
  if (changes) {
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => changes.push(Date.now()));
  }
  const transport = new StreamableHTTPClientTransport(new URL('http://plugboard.invalid/mcp'), { fetch: routed(r) });
  await client.connect(transport);
  return { client, transport };
}

const text = (result) => result.content[0].text;

async function startNode(redis, name, ws) {
  const node = await serve(ws, ['--set', `store.redis.url=${redis.url}`, '--set', 'sessions.idleTimeoutSeconds=120']);
  node.name = name;
  return node;
}

describe('Scale-out on Redis', { timeout: 600_000 }, () => {
  let redis;
  const nodes = {};
  const spaces = [];

  before(async () => {
    redis = await startRedis(await freePort());
    for (const name of ['a', 'b', 'c']) {
      const ws = workspace('plugboard-essentials');
      spaces.push(ws);
      nodes[name] = await startNode(redis, name, ws);
      nodes[name].ws = ws;
    }
  });

  after(async () => {
    for (const node of Object.values(nodes)) {
      await node.stop();
    }
    await redis?.kill();
    spaces.forEach((ws) => ws.dispose());
  });

  it('serves a session initialised on node A on node B, after A restarts, and ends it from either', async () => {
    let target = nodes.a;
    const r = route(() => target);
    const { client, transport } = await connectVia(r);
    const id = transport.sessionId;
    assert.ok(id, 'a session id');
    assert.equal(r.served[0].node, 'a', 'initialize went to node A');

    target = nodes.b;
    await client.setLoggingLevel('warning');
    const sum = await client.callTool({ name: 'calculate', arguments: { expression: '6 * 7' } });
    assert.equal(sum.structuredContent.result, 42);
    assert.ok(r.served.some((s) => s.node === 'b' && s.method === 'POST'), 'node B served the call');

    const stored = JSON.parse(redis.cli('GET', `plugboard:session:${id}`));
    assert.equal(stored.version, '2025-11-25');
    assert.equal(stored.logLevel, 'WARNING', 'the log level set on node B is shared');
    assert.equal(stored.initialized, true);
    assert.equal(stored.client.name, 'redis-e2e');

    // Node A restarts (a new process on a new port, same folders): the session is still served there.
    await nodes.a.stop();
    nodes.a = await startNode(redis, 'a', nodes.a.ws);
    nodes.a.ws = spaces[0];
    target = nodes.a;
    const after = await client.callTool({ name: 'hash', arguments: { text: 'abc', algorithm: 'MD5' } });
    assert.equal(text(after), '900150983cd24fb0d6963f7d28e17f72');
    assert.equal(JSON.parse(redis.cli('GET', `plugboard:session:${id}`)).logLevel, 'WARNING',
      'the restarted node kept the log level');

    // Ended on node C, the session is gone on A and B too.
    target = nodes.c;
    await transport.terminateSession();
    for (const node of [nodes.a, nodes.b, nodes.c]) {
      // The other nodes hear of the end over pub/sub, a moment after the DELETE is answered.
      await until(`node ${node.name} to no longer serve the ended session`, async () => {
        const response = await fetch(node.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': id },
          body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' }),
        });
        return response.status === 404;
      });
    }
    await client.close();
  });

  it('tells a client whose stream is on node B about a bundle deployed on node A', async () => {
    const changes = new Waiter();
    let opened;
    const streamOpen = new Promise((resolve) => { opened = resolve; });
    const r = route(() => nodes.b);
    const inner = routed(r);
    const client = new Client({ name: 'listener', version: '1.0.0' });
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => changes.push(Date.now()));
    const transport = new StreamableHTTPClientTransport(new URL('http://plugboard.invalid/mcp'), {
      fetch: async (input, init) => {
        const response = await inner(input, init);
        if (init?.method === 'GET' && response.ok) {
          opened();
        }
        return response;
      },
    });
    await client.connect(transport);
    await streamOpen;
    try {
      nodes.a.ws.drop('fixture-hello-v1', 'hello.jar');
      await changes.next('tools/list_changed on node B after the deploy on node A');
      assert.ok(r.served.every((s) => s.node === 'b'), 'the client only ever talked to node B');
      nodes.a.ws.remove('hello.jar');
      // The removal reaches this client too: once it has, no later test's session hears it.
      await changes.next('tools/list_changed on node B after the removal on node A');
    } finally {
      nodes.a.ws.remove('hello.jar');
      await client.close();
    }
  });

  it('resumes the stream of a client that lost its connection on another node, with what it missed', async () => {
    const changes = new Waiter();
    let gets = 0;
    let cut;
    const cutFirst = new Promise((resolve) => { cut = resolve; });
    let firstOpen;
    const opened = new Promise((resolve) => { firstOpen = resolve; });
    let sessionId;
    let resumedWith;
    const client = new Client({ name: 'resumer', version: '1.0.0' });
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      // Only what the resumed stream brings counts; the first stream is cut by the test.
      if (gets >= 2) changes.push(Date.now());
    });
    const transport = new StreamableHTTPClientTransport(new URL('http://plugboard.invalid/mcp'), {
      fetch: async (input, init) => {
        if ((init?.method ?? 'GET') !== 'GET') {
          return fetch(new URL(nodes.a.url), init);
        }
        gets += 1;
        if (gets === 1) {
          // The first stream, on node A, ends when the test cuts it (as a balancer or a network would).
          const response = await fetch(new URL(nodes.a.url), init);
          const reader = response.body.getReader();
          const body = new ReadableStream({
            async pull(controller) {
              const next = await Promise.race([reader.read(), cutFirst.then(() => ({ done: true }))]);
              if (next.done) {
                controller.close();
                await reader.cancel().catch(() => {});
              } else {
                controller.enqueue(next.value);
                // The priming event (its id is what the client resumes from) is through: cut after it.
                firstOpen();
              }
            },
          });
          return new Response(body, { status: response.status, headers: response.headers });
        }
        // The client comes back with Last-Event-ID, to node B; meanwhile a bundle was deployed on
        // node C, which node A kept for this stream in Redis.
        resumedWith = new Headers(init.headers).get('last-event-id');
        const key = `plugboard:session-stream:${sessionId}`;
        const before = Number(redis.cli('XLEN', key));
        nodes.c.ws.drop('fixture-hello-v1', 'hello-c.jar');
        await until('node A to keep the list change for the disconnected stream',
          () => Number(redis.cli('XLEN', key)) > before);
        return fetch(new URL(nodes.b.url), init);
      },
    });
    await client.connect(transport);
    sessionId = transport.sessionId;
    await opened;
    try {
      cut();
      await changes.next('tools/list_changed replayed by node B');
      assert.match(resumedWith ?? '', /^g-\d+$/, 'the client resumed with the id of the last event it saw');
      assert.equal(gets, 2, 'one resumption, on node B');
    } finally {
      nodes.c.ws.remove('hello-c.jar');
      await client.close();
    }
  });

  it('keeps serving while Redis is down, and loses nothing acknowledged when it comes back', async () => {
    const order = ['a', 'b', 'c'];
    let turn = 0;
    const r = route(() => nodes[order[turn++ % order.length]]);
    const { client, transport } = await connectVia(r, 'under-load');
    // Every node serves the session once, so each holds it when Redis goes away.
    for (let i = 0; i < 3; i++) {
      await client.callTool({ name: 'calculate', arguments: { expression: `${i} + 1` } });
    }

    let running = true;
    const answered = [];
    const failures = [];
    const load = (async () => {
      for (let i = 0; running; i++) {
        try {
          const result = await client.callTool({ name: 'calculate', arguments: { expression: `${i} * 2` } });
          assert.equal(result.structuredContent.result, i * 2);
          answered.push(i);
        } catch (e) {
          failures.push(`${i}: ${e.message}`);
        }
      }
    })();

    await until('calls answered before the outage', () => answered.length >= 20);
    await redis.kill();
    await Promise.all(Object.values(nodes).map((n) => logged(n, /Redis at .* is unreachable/)));
    const beforeOutage = answered.length;
    await until('calls answered during the outage', () => answered.length >= beforeOutage + 20);

    // A session opened on node A while Redis is down is acknowledged, so it must survive the outage.
    const pinned = route(() => nodes.a);
    const late = await connectVia(pinned, 'opened-during-outage');
    const lateId = late.transport.sessionId;

    redis = await startRedis(redis.port);
    await Promise.all(Object.values(nodes).map((n) => logged(n, /Redis at .* is reachable again/)));
    const afterOutage = answered.length;
    await until('calls answered after the outage', () => answered.length >= afterOutage + 20);
    running = false;
    await load;
    assert.deepEqual(failures, [], 'no call failed while Redis was down or coming back');

    // The restarted Redis started empty: the nodes gave it back the sessions they hold.
    await until('the sessions written again to the restarted Redis',
      () => redis.cli('EXISTS', `plugboard:session:${transport.sessionId}`) === '1'
        && redis.cli('EXISTS', `plugboard:session:${lateId}`) === '1');
    pinned.next = () => nodes.b;
    const moved = await late.client.callTool({ name: 'calculate', arguments: { expression: '2 + 2' } });
    assert.equal(moved.structuredContent.result, 4, 'the session opened during the outage is served on node B');

    await late.client.close();
    await client.close();
  });
});
