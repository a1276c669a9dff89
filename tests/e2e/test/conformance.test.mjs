// The official MCP conformance suite against the real distribution, with the conformance fixture
// bundle hot-deployed: 0.1.16 (active suite), and 0.2.0-alpha.12 for both revisions' requirements.
// No expected-failures baseline: every scenario and every check must pass.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { serve, workspace } from './support/plugboard.mjs';
import { Waiter } from './support/queue.mjs';
import { watchedFetch } from './support/stream.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, '..', 'node_modules');
const node22 = join(modules, '.bin', 'node');
const results = join(here, '..', 'target', 'conformance');

/** Runs one suite; resolves to { code, output }. */
function suite(pkg, args) {
  const dir = join(results, pkg + (args.includes('--requirements') ? '-' + args[args.indexOf('--requirements') + 1] : ''));
  mkdirSync(dir, { recursive: true });
  const child = spawn(node22, [join(modules, pkg, 'dist', 'index.js'), 'server', ...args, '-o', dir], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  child.stdout.on('data', (c) => output.push(c.toString()));
  child.stderr.on('data', (c) => output.push(c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output: output.join('') })));
}

/** The summary lines of a run, and the lines of every check that did not succeed. */
function report(output) {
  const lines = output.split('\n');
  const start = lines.findIndex((l) => l.includes('SUMMARY'));
  const problems = lines.filter((l) => /FAILURE|✗/.test(l));
  return [...(start >= 0 ? lines.slice(start) : lines.slice(-40)), '--- problems ---', ...problems].join('\n');
}

describe('the official conformance suite', { timeout: 900_000 }, () => {
  let ws;
  let server;

  before(async () => {
    ws = workspace('plugboard-essentials');
    server = await serve(ws);
    const changes = new Waiter();
    const client = new Client({ name: 'conformance-setup', version: '1.0.0' });
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => changes.push(true));
    const watch = watchedFetch();
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { fetch: watch.fetch }));
    await watch.streamOpen;
    ws.drop('plugboard-conformance');
    for (;;) {
      const { tools } = await client.listTools();
      if (tools.some((t) => t.name === 'test_simple_text')) break;
      await changes.next('the conformance fixture to be deployed', 60_000);
    }
    await client.close();
  });

  after(async () => {
    await server?.stop();
    ws?.dispose();
  });

  const url = () => server.url.replace('127.0.0.1', 'localhost');

  it('0.1.16, active suite: every scenario passes', async () => {
    const run = await suite('conformance-0.1.16', ['--url', url()]);
    console.log(report(run.output));
    assert.equal(run.code, 0, 'the suite reported failures');
    assert.match(run.output, /Total: \d+ passed, 0 failed/);
  });

  it('0.2.0-alpha.12 with --requirements 2025-11-25: every check passes', async () => {
    const run = await suite('conformance-0.2.0-alpha.12', ['--url', url(), '--requirements', '2025-11-25']);
    console.log(report(run.output));
    assert.equal(run.code, 0, 'the suite reported failures');
  });

  it('0.2.0-alpha.12 with --requirements 2026-07-28: every check passes', async () => {
    const run = await suite('conformance-0.2.0-alpha.12', ['--url', url(), '--requirements', '2026-07-28']);
    console.log(report(run.output));
    assert.equal(run.code, 0, 'the suite reported failures');
    // Every check counts, scored or not: the not-scored scenarios (the tasks extension, SEP-2663, and
    // the pending header validation, SEP-2243) must pass as well.
    assert.match(run.output, /Total: \d+ passed, 0 failed/);
    assert.match(run.output, /Not scored for 2026-07-28: \d+ scenario\(s\) run, 0 failing/);
    for (const scenario of ['tasks-lifecycle', 'tasks-capability-negotiation', 'tasks-wire-fields',
      'tasks-request-state-removal', 'tasks-mrtr-input', 'tasks-request-headers', 'tasks-dispatch-and-envelope',
      'tasks-required-task-error', 'tasks-mrtr-composition', 'http-header-validation',
      'http-custom-header-server-validation']) {
      assert.match(run.output, new RegExp(`✓ ${scenario}: [1-9]\\d* passed, 0 failed`), scenario);
    }
  });
});
