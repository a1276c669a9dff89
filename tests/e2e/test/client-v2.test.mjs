// @modelcontextprotocol/client (v2, speaks both revisions) against `plugboard serve` and
// `plugboard stdio`: the stateless revision by negotiation, the session-based one when asked, and
// the same features through both.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { launcher, serve, workspace } from './support/plugboard.mjs';
import { Waiter } from './support/queue.mjs';

const capabilities = { elicitation: {}, sampling: {}, roots: {} };

function client(mode) {
  const c = new Client({ name: 'plugboard-e2e-v2', version: '1.0.0' }, {
    capabilities,
    versionNegotiation: { mode },
  });
  c.setRequestHandler('elicitation/create', async (request) => {
    const props = Object.keys(request.params.requestedSchema?.properties ?? {});
    const content = Object.fromEntries(props.map((p) => [p, p === 'ok' ? true : 'Alice']));
    return { action: 'accept', content };
  });
  c.setRequestHandler('sampling/createMessage', async () => ({
    role: 'assistant',
    content: { type: 'text', text: 'Paris' },
    model: 'e2e-model',
    stopReason: 'endTurn',
  }));
  c.setRequestHandler('roots/list', async () => ({ roots: [{ uri: 'file:///work', name: 'work' }] }));
  return c;
}

const text = (r) => r.content.find((c) => c.type === 'text')?.text;

/** The same checks for whatever revision the client negotiated. */
async function exerciseEverything(c) {
  const { tools } = await c.listTools();
  assert.ok(tools.some((t) => t.name === 'calculate'));
  assert.equal((await c.callTool({ name: 'calculate', arguments: { expression: '2*21' } })).structuredContent.result, 42);

  const { resources } = await c.listResources();
  assert.ok(resources.some((r) => r.uri === 'test://static-text'));
  const read = await c.readResource({ uri: 'test://template/77/data' });
  assert.match(read.contents[0].text, /77/);

  const prompt = await c.getPrompt({ name: 'test_prompt_with_arguments', arguments: { arg1: 'a', arg2: 'b' } });
  assert.match(JSON.stringify(prompt.messages), /arg1='a'/);

  const completion = await c.complete({ ref: { type: 'ref/resource', uri: 'test://template/{id}/data' }, argument: { name: 'id', value: '1' } });
  assert.ok(Array.isArray(completion.completion.values));

  const asked = await c.callTool({ name: 'test_input_required_result_elicitation', arguments: {} });
  assert.equal(text(asked), 'Hello, Alice!');
  const several = await c.callTool({ name: 'test_input_required_result_multiple_inputs', arguments: {} });
  assert.match(text(several), /Name: Alice; Greeting: Paris; Roots: 1/);
  const rounds = await c.callTool({ name: 'test_input_required_result_multi_round', arguments: {} });
  assert.match(text(rounds), /Alice/);

  // Over HTTP the client mirrors these arguments into Mcp-Param-* headers, which the server checks.
  const routed = await c.callTool({ name: 'test_custom_headers', arguments: { region: 'Zürich ', priority: 2, query: 'q' } });
  assert.equal(text(routed), 'Custom headers tool called with: {"region":"Zürich ","priority":2,"query":"q"}');
}

describe('@modelcontextprotocol/client over HTTP', () => {
  let ws;
  let server;

  before(async () => {
    ws = workspace('plugboard-essentials', 'plugboard-conformance');
    server = await serve(ws);
  });

  after(async () => {
    await server?.stop();
    ws?.dispose();
  });

  it('negotiates the stateless revision through server/discover and uses every feature', async () => {
    const c = client('auto');
    await c.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    try {
      assert.equal(c.getNegotiatedProtocolVersion(), '2026-07-28');
      assert.equal(c.getProtocolEra(), 'modern');
      assert.equal(c.getDiscoverResult().supportedVersions.includes('2025-11-25'), true);
      await exerciseEverything(c);
    } finally {
      await c.close();
    }
  });

  it('speaks 2025-11-25 when it does not negotiate, with the same results', async () => {
    const c = client('legacy');
    await c.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    try {
      assert.equal(c.getNegotiatedProtocolVersion(), '2025-11-25');
      assert.equal(c.getProtocolEra(), 'legacy');
      await exerciseEverything(c);
    } finally {
      await c.close();
    }
  });

  it('serves both revisions at once, and a listen stream hears a hot deploy', async () => {
    const modern = client('auto');
    const legacy = client('legacy');
    await modern.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    await legacy.connect(new StreamableHTTPClientTransport(new URL(server.url)));
    const changes = new Waiter();
    modern.setNotificationHandler('notifications/tools/list_changed', () => changes.push('modern'));
    const subscription = await modern.listen({ toolsListChanged: true });
    try {
      assert.equal(subscription.honoredFilter.toolsListChanged, true);
      ws.drop('fixture-hello-v1', 'hello.jar');
      await changes.next('list_changed on the listen stream');
      let names = [];
      for (let i = 0; i < 100 && !names.includes('hello'); i++) {
        names = (await modern.listTools()).tools.map((t) => t.name);
        if (!names.includes('hello')) await changes.next('the new tool to be listed');
      }
      const [a, b] = await Promise.all([
        modern.callTool({ name: 'hello', arguments: { name: 'New' } }),
        legacy.callTool({ name: 'hello', arguments: { name: 'Old' } }),
      ]);
      assert.equal(text(a), 'Hello, New! (v1)');
      assert.equal(text(b), 'Hello, Old! (v1)');
    } finally {
      await subscription.close();
      await modern.close();
      await legacy.close();
      ws.remove('hello.jar');
    }
  });
});

describe('@modelcontextprotocol/client over stdio', () => {
  let ws;

  before(() => {
    ws = workspace('plugboard-essentials', 'plugboard-conformance');
  });

  after(() => ws?.dispose());

  for (const mode of ['auto', 'legacy']) {
    it(`carries every feature in ${mode === 'auto' ? 'the stateless revision' : '2025-11-25'}`, async () => {
      const c = client(mode);
      await c.connect(new StdioClientTransport({
        command: launcher,
        args: ['stdio', '--bundles', ws.deploy, '--data', `${ws.data}-${mode}`],
        env: process.env,
        stderr: 'ignore',
      }));
      try {
        assert.equal(c.getNegotiatedProtocolVersion(), mode === 'auto' ? '2026-07-28' : '2025-11-25');
        await exerciseEverything(c);
      } finally {
        await c.close();
      }
    });
  }
});
