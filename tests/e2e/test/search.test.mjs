// Search mode (mcp.toolListing=search) through @modelcontextprotocol/client, in both revisions, over
// HTTP and stdio: tools/list offers three tools, and through them the client finds, reads and calls
// any tool of the catalogue.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { launcher, serve, workspace } from './support/plugboard.mjs';

const SEARCH_MODE = ['--set', 'mcp.toolListing=search'];
const META_TOOLS = ['call_tool', 'describe_tool', 'search_catalog'];

function client(mode) {
  return new Client({ name: 'plugboard-e2e-search', version: '1.0.0' }, { versionNegotiation: { mode } });
}

/** Finds, describes and calls a tool that tools/list does not show. */
async function useTheCatalogueThroughThreeTools(c) {
  const listed = (await c.listTools()).tools.map((t) => t.name).sort();
  assert.deepEqual(listed, META_TOOLS);

  const found = await c.callTool({ name: 'search_catalog', arguments: { query: 'work out 2 times 21', limit: 5 } });
  assert.notEqual(found.isError, true, JSON.stringify(found));
  const keys = found.structuredContent.results.map((r) => r.key);
  assert.ok(keys.includes('calculate'), `calculate not among ${keys}`);

  const described = await c.callTool({ name: 'describe_tool', arguments: { name: 'calculate' } });
  const schema = JSON.parse(described.structuredContent.inputSchema);
  assert.ok(schema.properties.expression, described.structuredContent.inputSchema);

  const called = await c.callTool({ name: 'call_tool', arguments: { name: 'calculate', arguments: { expression: '2*21' } } });
  assert.equal(called.structuredContent.result, 42);

  const readOnly = await c.callTool({ name: 'search_catalog', arguments: { query: 'encode', readOnly: true, kind: 'TOOL' } });
  assert.ok(readOnly.structuredContent.results.length > 0);
  assert.ok(readOnly.structuredContent.results.every((r) => r.kind === 'tool'));

  const odd = await c.callTool({ name: 'search_catalog', arguments: { query: 'title:(a OR b)* \\ "' + 'ü'.repeat(5000) } });
  assert.notEqual(odd.isError, true, JSON.stringify(odd));
}

describe('search mode over HTTP', () => {
  let ws;
  let server;

  before(async () => {
    ws = workspace('plugboard-essentials', 'plugboard-search');
    server = await serve(ws, SEARCH_MODE);
  });

  after(async () => {
    await server?.stop();
    ws?.dispose();
  });

  for (const mode of ['auto', 'legacy']) {
    it(`works in ${mode === 'auto' ? 'the stateless revision' : '2025-11-25'}`, async () => {
      const c = client(mode);
      await c.connect(new StreamableHTTPClientTransport(new URL(server.url)));
      try {
        assert.equal(c.getNegotiatedProtocolVersion(), mode === 'auto' ? '2026-07-28' : '2025-11-25');
        await useTheCatalogueThroughThreeTools(c);
      } finally {
        await c.close();
      }
    });
  }
});

describe('search mode over stdio', () => {
  let ws;

  before(() => {
    ws = workspace('plugboard-essentials', 'plugboard-search');
  });

  after(() => ws?.dispose());

  for (const mode of ['auto', 'legacy']) {
    it(`works in ${mode === 'auto' ? 'the stateless revision' : '2025-11-25'}`, async () => {
      const c = client(mode);
      await c.connect(new StdioClientTransport({
        command: launcher,
        args: ['stdio', '--bundles', ws.deploy, '--data', `${ws.data}-${mode}`, ...SEARCH_MODE],
        env: process.env,
        stderr: 'ignore',
      }));
      try {
        assert.equal(c.getNegotiatedProtocolVersion(), mode === 'auto' ? '2026-07-28' : '2025-11-25');
        await useTheCatalogueThroughThreeTools(c);
      } finally {
        await c.close();
      }
    });
  }
});
