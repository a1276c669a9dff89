// The official TypeScript SDK client launching `plugboard stdio` as a process.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { launcher, workspace } from './support/plugboard.mjs';
import { Waiter } from './support/queue.mjs';

describe('stdio with the TypeScript SDK client', () => {
  let ws;
  let client;
  const changes = new Waiter();
  const stderr = [];

  before(async () => {
    ws = workspace('plugboard-essentials');
    client = new Client({ name: 'plugboard-e2e-stdio', version: '1.0.0' });
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => changes.push(Date.now()));
    const transport = new StdioClientTransport({
      command: launcher,
      args: ['stdio', '--bundles', ws.deploy, '--data', ws.data],
      env: process.env,
      stderr: 'pipe',
    });
    transport.stderr.on('data', (chunk) => stderr.push(chunk.toString()));
    await client.connect(transport);
  });

  after(async () => {
    await client?.close();
    ws?.dispose();
  });

  it('lists and calls tools; logs go to standard error only', async () => {
    const { tools } = await client.listTools();
    assert.ok(tools.some((t) => t.name === 'calculate'));
    const result = await client.callTool({ name: 'text_stats', arguments: { text: 'One two. Three!' } });
    assert.deepEqual(result.structuredContent, { characters: 15, words: 3, lines: 1, sentences: 2 });
    assert.match(stderr.join(''), /Plugboard .* ready/);
  });

  it('follows a bundle being added, replaced and deleted', async () => {
    ws.drop('fixture-hello-v1', 'hello.jar');
    await changes.next('list_changed after the drop');
    assert.equal((await client.callTool({ name: 'hello', arguments: { name: 'Sam' } })).content[0].text, 'Hello, Sam! (v1)');

    ws.drop('fixture-hello-v2', 'hello.jar');
    for (;;) {
      await changes.next('list_changed after the replacement');
      const { tools } = await client.listTools();
      if (tools.some((t) => t.name === 'goodbye')) break;
    }
    assert.equal((await client.callTool({ name: 'hello', arguments: { name: 'Sam' } })).content[0].text, 'Hello, Sam! (v2)');

    ws.remove('hello.jar');
    for (;;) {
      await changes.next('list_changed after the delete');
      const { tools } = await client.listTools();
      if (!tools.some((t) => t.name === 'hello')) break;
    }
  });
});
