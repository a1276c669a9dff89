// The proxy in the real distribution: an mcpServers block pasted into config/mcp-servers.json puts
// server-everything's tools behind Plugboard, and the official TypeScript SDK client gets from
// Plugboard the same results it gets from the upstream directly.
import assert from 'node:assert/strict';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { serve, workspace } from './support/plugboard.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const node = join(here, '..', 'node_modules', 'node', 'bin', 'node');
const everything = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');
const upstream = { command: node, args: [everything, 'stdio'] };

/** Writes the servers file in one step, as an editor's save does. */
function writeServers(config, servers) {
  const aside = join(config, '.mcp-servers.json.part');
  writeFileSync(aside, JSON.stringify({ mcpServers: servers }));
  renameSync(aside, join(config, 'mcp-servers.json'));
}

async function until(what, condition) {
  const deadline = Date.now() + 60_000;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
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
    direct = new Client({ name: 'plugboard-e2e-direct', version: '1.0.0' });
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
