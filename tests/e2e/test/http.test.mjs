// The official TypeScript SDK client against `plugboard serve`: tools, progress and hot deploy.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { serve, workspace } from './support/plugboard.mjs';
import { Waiter } from './support/queue.mjs';
import { watchedFetch } from './support/stream.mjs';

/** A connected client; with `changes`, recording list_changed, once its GET stream is open. */
async function connect(url, changes) {
  const client = new Client({ name: 'plugboard-e2e', version: '1.0.0' });
  if (!changes) {
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    return client;
  }
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => changes.push(Date.now()));
  const watch = watchedFetch();
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch: watch.fetch }));
  await watch.streamOpen;
  return client;
}

async function toolNames(client) {
  const names = [];
  let cursor;
  do {
    const page = await client.listTools(cursor ? { cursor } : {});
    names.push(...page.tools.map((t) => t.name));
    cursor = page.nextCursor;
  } while (cursor);
  return names;
}

const text = (result) => result.content[0].text;

describe('Streamable HTTP with the TypeScript SDK client', () => {
  let ws;
  let server;

  before(async () => {
    ws = workspace('plugboard-essentials');
    server = await serve(ws);
  });

  after(async () => {
    await server?.stop();
    ws?.dispose();
  });

  it('negotiates 2025-11-25 and lists the first-party tools with their schemas', async () => {
    const client = await connect(server.url);
    try {
      assert.equal(client.getServerVersion().name, 'plugboard');
      const { tools } = await client.listTools();
      const calculate = tools.find((t) => t.name === 'calculate');
      assert.ok(calculate, 'calculate is listed');
      assert.equal(calculate.inputSchema.type, 'object');
      assert.deepEqual(calculate.inputSchema.required, ['expression']);
      assert.equal(calculate.annotations.readOnlyHint, true);
      assert.ok(calculate.outputSchema, 'a record result declares an output schema');
      for (const name of ['current_time', 'convert_time', 'hash', 'base64_encode', 'format_json', 'text_stats']) {
        assert.ok(tools.some((t) => t.name === name), `${name} is listed`);
      }
    } finally {
      await client.close();
    }
  });

  it('calls tools and gets text, structured content and tool errors', async () => {
    const client = await connect(server.url);
    try {
      const sum = await client.callTool({ name: 'calculate', arguments: { expression: '(1 + 2) * 7' } });
      assert.equal(sum.structuredContent.result, 21);
      assert.equal(JSON.parse(text(sum)).text, '21');
      const digest = await client.callTool({ name: 'hash', arguments: { text: 'abc', algorithm: 'MD5' } });
      assert.equal(text(digest), '900150983cd24fb0d6963f7d28e17f72');
      const failed = await client.callTool({ name: 'convert_time', arguments: { time: '25:99', sourceTimezone: 'UTC', targetTimezone: 'UTC' } });
      assert.equal(failed.isError, true);
      assert.match(text(failed), /HH:MM/);
      assert.doesNotMatch(text(failed), /at dev\.plugboard|Exception/);
    } finally {
      await client.close();
    }
  });

  it('rejects invalid arguments with -32602 naming the argument', async () => {
    const client = await connect(server.url);
    try {
      await assert.rejects(
        client.callTool({ name: 'calculate', arguments: { expression: 5 } }),
        (e) => e instanceof McpError && e.code === -32602 && /'expression' must be a string/.test(e.message),
      );
      await assert.rejects(
        client.callTool({ name: 'no_such_tool', arguments: {} }),
        (e) => e instanceof McpError && e.code === -32602 && /Unknown tool: no_such_tool/.test(e.message),
      );
    } finally {
      await client.close();
    }
  });

  it('delivers add, replace and delete of a bundle to every connected client', async () => {
    const changesA = new Waiter();
    const changesB = new Waiter();
    const a = await connect(server.url, changesA);
    const b = await connect(server.url, changesB);
    try {
      assert.ok(!(await toolNames(a)).includes('hello'));

      let dropped = Date.now();
      ws.drop('fixture-hello-v1', 'hello.jar');
      const addedAt = await changesA.next('list_changed after the drop');
      await changesB.next('list_changed at the second client');
      console.log(`# drop -> list_changed: ${addedAt - dropped} ms`);
      assert.ok((await toolNames(a)).includes('hello'));
      assert.equal(text(await b.callTool({ name: 'hello', arguments: { name: 'Ada' } })), 'Hello, Ada! (v1)');

      const progress = [];
      const slow = await a.callTool({ name: 'slow', arguments: { millis: 200 } }, undefined, {
        onprogress: (p) => progress.push(p),
      });
      assert.equal(text(slow), 'worked 200 ms');
      assert.equal(progress.length, 10);
      assert.deepEqual(progress.map((p) => p.progress), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      assert.equal(progress[9].total, 10);

      changesA.clear();
      dropped = Date.now();
      ws.drop('fixture-hello-v2', 'hello.jar');
      await changesA.next('list_changed after the replacement');
      await changesB.next('list_changed at the second client');
      let names;
      for (;;) {
        names = await toolNames(a);
        if (names.includes('goodbye')) break;
        await changesA.next('the replacement to finish');
      }
      console.log(`# replace -> v2 listed: ${Date.now() - dropped} ms`);
      assert.ok(!names.includes('slow'));
      assert.equal(text(await b.callTool({ name: 'hello', arguments: { name: 'Ada' } })), 'Hello, Ada! (v2)');

      changesA.clear();
      ws.remove('hello.jar');
      await changesA.next('list_changed after the delete');
      await changesB.next('list_changed at the second client');
      assert.ok(!(await toolNames(b)).includes('hello'));
      await assert.rejects(b.callTool({ name: 'hello', arguments: { name: 'Ada' } }), (e) => e.code === -32602);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
