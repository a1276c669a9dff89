// /graphql against `plugboard serve`: queries and mutations over HTTP, and subscriptions through a
// real graphql-transport-ws client (the npm graphql-ws package) that sees bundles dropped into bundles/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createClient } from 'graphql-ws';
import { serve, workspace } from './support/plugboard.mjs';
import { Waiter } from './support/queue.mjs';

async function post(url, query, variables = {}, headers = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.json() };
}

/** Subscribes; every result goes into a Waiter, and `done` resolves when the server completes it. */
function watch(client, query) {
  const results = new Waiter();
  let dispose;
  const done = new Promise((resolve, reject) => {
    dispose = client.subscribe({ query }, { next: (r) => results.push(r), error: reject, complete: resolve });
  });
  return { results, done, dispose };
}

/** Resolves once everything sent on the connection before it has been taken by the server. */
async function roundTrip(client) {
  const { results } = watch(client, '{ health { ready } }');
  const answer = await results.next('a query over the socket');
  assert.equal(answer.data.health.ready, true);
}

/** The next result that satisfies `accept`, skipping others. */
async function nextMatching(results, what, accept) {
  for (;;) {
    const result = await results.next(what);
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    if (accept(result.data)) {
      return result.data;
    }
  }
}

describe('GraphQL over HTTP and graphql-transport-ws', () => {
  let ws;
  let server;
  let http;
  let socketUrl;
  let client;

  before(async () => {
    ws = workspace('plugboard-essentials');
    server = await serve(ws);
    http = server.url.replace(/\/mcp$/, '/graphql');
    socketUrl = http.replace(/^http/, 'ws');
    client = createClient({ url: socketUrl, lazy: false, retryAttempts: 0 });
  });

  after(async () => {
    await client?.dispose();
    await server?.stop();
    ws?.dispose();
  });

  it('serves queries and mutations over HTTP', async () => {
    const tools = await post(http, '{ tools { items { name inputSchema } pageInfo { hasNextPage } } }');
    assert.equal(tools.status, 200);
    assert.match(tools.type, /^application\/graphql-response\+json/);
    const calculate = tools.body.data.tools.items.find((t) => t.name === 'calculate');
    assert.equal(calculate.inputSchema.type, 'object');

    const call = await post(http, 'mutation($a: JSON) { callTool(name: "calculate", arguments: $a) { structuredContent isError } }',
      { a: { expression: '6 * 7' } });
    assert.equal(call.body.data.callTool.structuredContent.result, 42);
    assert.equal(call.body.data.callTool.isError, false);

    const invalid = await post(http, '{ tools { items { colour } } }');
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body.errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
  });

  it('a subscriber sees a bundle dropped into bundles/ and removed again', async () => {
    const catalog = watch(client, 'subscription { catalogChanged { id kinds time } }');
    const modules = watch(client, 'subscription { moduleEvents { id type module version file detail } }');
    await roundTrip(client);

    ws.drop('fixture-hello-v1', 'hello.jar');
    const installed = await nextMatching(modules.results, 'the module event of the drop',
      (d) => d.moduleEvents.file === 'hello.jar');
    assert.equal(installed.moduleEvents.module, 'dev.plugboard.fixtures.hello');
    assert.equal(installed.moduleEvents.version, '1.0.0');
    const changed = await nextMatching(catalog.results, 'a catalogue change with tools',
      (d) => d.catalogChanged.kinds.includes('tools'));
    assert.ok(Number(changed.catalogChanged.id) > 0);
    const hello = await post(http, '{ tool(name: "hello") { name } }');
    assert.equal(hello.body.data.tool.name, 'hello');

    ws.remove('hello.jar');
    await nextMatching(modules.results, 'the removal', (d) => d.moduleEvents.type === 'module.removed'
      && d.moduleEvents.module === 'dev.plugboard.fixtures.hello');
    await nextMatching(catalog.results, 'the catalogue change of the removal',
      (d) => d.catalogChanged.kinds.includes('tools'));
    const gone = await post(http, '{ tool(name: "hello") { name } }');
    assert.equal(gone.body.data.tool, null);

    catalog.dispose();
    modules.dispose();
  });

  it('streams the progress of a call made with a callId', async () => {
    ws.drop('fixture-hello-v1', 'hello.jar');
    const modules = watch(client, 'subscription { moduleEvents { file } }');
    await roundTrip(client);
    let ready = await post(http, '{ tool(name: "slow") { name } }');
    while (ready.body.data.tool === null) {
      await nextMatching(modules.results, 'hello to be deployed', (d) => d.moduleEvents.file === 'hello.jar');
      ready = await post(http, '{ tool(name: "slow") { name } }');
    }
    modules.dispose();

    const progress = watch(client, 'subscription { toolProgress(callId: "e2e-1") { callId progress total message } }');
    await roundTrip(client);
    const call = watch(client, 'mutation { callTool(name: "slow", arguments: {millis: 200}, callId: "e2e-1") { content } }');
    const result = await call.results.next('the call result');
    assert.equal(result.data.callTool.content[0].text, 'worked 200 ms');
    const steps = [];
    for (let i = 0; i < 10; i++) {
      const event = await progress.results.next(`progress event ${i + 1}`);
      steps.push(event.data.toolProgress.progress);
      assert.equal(event.data.toolProgress.total, 10);
    }
    assert.deepEqual(steps, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await progress.done;
    ws.remove('hello.jar');
  });

  it('admin mutations need the admin key, over HTTP and over the socket', async () => {
    const key = readFileSync(join(ws.data, 'admin.key'), 'utf8').trim();
    const stop = 'mutation { stopModule(name: "dev.plugboard.essentials") { state } }';
    const refused = await post(http, stop);
    assert.equal(refused.body.errors[0].extensions.code, 'UNAUTHENTICATED');

    const stopped = await post(http, stop, {}, { Authorization: `Bearer ${key}` });
    assert.equal(stopped.body.data.stopModule.state, 'RESOLVED');

    const admin = createClient({ url: socketUrl, retryAttempts: 0,
      connectionParams: { Authorization: `Bearer ${key}` } });
    try {
      const started = watch(admin, 'mutation { startModule(name: "dev.plugboard.essentials") { state } }');
      const answer = await started.results.next('startModule over the socket');
      assert.equal(answer.data.startModule.state, 'ACTIVE');
    } finally {
      await admin.dispose();
    }
  });
});
