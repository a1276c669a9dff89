// MCP tasks (2025-11-25, experimental) with the official TypeScript SDK client against the real
// distribution: a slow tool run as a task, its status polled, its result read, another cancelled,
// and the tasks listed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { TaskStatusNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { serve, workspace } from './support/plugboard.mjs';
import { Waiter } from './support/queue.mjs';
import { watchedFetch } from './support/stream.mjs';

describe('tasks with the TypeScript SDK client (2025-11-25)', { timeout: 120_000 }, () => {
  let ws;
  let server;
  let client;
  const statuses = new Waiter();

  before(async () => {
    ws = workspace('plugboard-essentials');
    server = await serve(ws);
    client = new Client({ name: 'e2e-tasks', version: '1.0.0' });
    client.setNotificationHandler(TaskStatusNotificationSchema, (n) => statuses.push(n.params));
    const watch = watchedFetch();
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { fetch: watch.fetch }));
    await watch.streamOpen;
  });

  after(async () => {
    await client?.close();
    await server?.stop();
    ws?.dispose();
  });

  it('advertises tasks for tools/call and the countdown tool as task-capable', async () => {
    const caps = client.getServerCapabilities();
    assert.ok(caps.tasks?.requests?.tools?.call, JSON.stringify(caps));
    assert.ok(caps.tasks.list && caps.tasks.cancel);
    const { tools } = await client.listTools();
    const countdown = tools.find((t) => t.name === 'countdown');
    assert.equal(countdown.execution?.taskSupport, 'optional');
    assert.equal(tools.find((t) => t.name === 'hash').execution, undefined);
  });

  it('runs a slow tool as a task: created, polled, and its result read', async () => {
    const seen = [];
    let result;
    for await (const message of client.experimental.tasks.callToolStream(
      { name: 'countdown', arguments: { seconds: 2 } }, undefined, { task: { ttl: 60_000 } })) {
      seen.push(message.type);
      if (message.type === 'taskCreated') {
        assert.equal(message.task.status, 'working');
        assert.ok(message.task.taskId);
        assert.equal(message.task.ttl, 60_000);
      }
      if (message.type === 'result') {
        result = message.result;
      }
      if (message.type === 'error') {
        throw message.error;
      }
    }
    assert.equal(seen[0], 'taskCreated');
    assert.equal(seen.at(-1), 'result');
    assert.equal(result.content[0].text, 'Liftoff after 2 s');
    // The status change also arrives unasked, on the session's stream.
    for (;;) {
      const status = await statuses.next('notifications/tasks/status for the completed task', 10_000);
      if (status.status === 'completed') {
        assert.ok(status.taskId);
        break;
      }
    }
  });

  it('cancels a running task, and refuses to cancel it again', async () => {
    const stream = client.experimental.tasks.callToolStream(
      { name: 'countdown', arguments: { seconds: 60 } }, undefined, { task: {} });
    const first = (await stream.next()).value;
    assert.equal(first.type, 'taskCreated');
    const id = first.task.taskId;
    await stream.return();
    const cancelled = await client.experimental.tasks.cancelTask(id);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal((await client.experimental.tasks.getTask(id)).status, 'cancelled');
    await assert.rejects(client.experimental.tasks.cancelTask(id), (e) => e.code === -32602);
    const { tasks } = await client.experimental.tasks.listTasks();
    assert.ok(tasks.some((t) => t.taskId === id && t.status === 'cancelled'));
  });

  it('refuses a task for a tool that does not run as one', async () => {
    const stream = client.experimental.tasks.callToolStream(
      { name: 'hash', arguments: { text: 'x' } }, undefined, { task: {} });
    const first = (await stream.next()).value;
    assert.equal(first.type, 'error');
    assert.equal(first.error.code, -32601);
  });
});
