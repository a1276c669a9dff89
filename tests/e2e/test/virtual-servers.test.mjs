// Virtual servers in the real distribution: config/virtual-servers.json selects part of the one
// catalogue (server-everything behind the proxy, and local tools), and the official v2 client sees
// exactly that part at /servers/NAME/mcp in both revisions, with the upstream's own answers.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { serve, until, workspace, writeConfigFile } from './support/plugboard.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const node = join(here, '..', 'node_modules', 'node', 'bin', 'node');
const everything = createRequire(import.meta.url).resolve('@modelcontextprotocol/server-everything/dist/index.js');
const upstream = { command: node, args: [everything, 'stdio'] };

describe('virtual servers', () => {
  let ws;
  let server;
  let config;
  let direct;

  before(async () => {
    ws = workspace('plugboard-essentials', 'plugboard-proxy');
    config = join(ws.root, 'config');
    mkdirSync(config);
    writeConfigFile(config, 'mcp-servers.json', { mcpServers: { everything: upstream } });
    writeConfigFile(config, 'virtual-servers.json', {
      dev: { tools: ['everything__echo', 'everything__get-sum', 'calculate'], prompts: ['everything__args-prompt'],
        resources: ['demo://resource/dynamic/*'] },
    });
    server = await serve(ws, ['--config', config]);
    direct = new V1Client({ name: 'plugboard-e2e-direct', version: '1.0.0' });
    await direct.connect(new StdioClientTransport(upstream));
  });

  after(async () => {
    await direct?.close();
    await server?.stop();
    ws?.dispose();
  });

  for (const mode of ['auto', 'legacy']) {
    it(`shows exactly its part of the catalogue (${mode} negotiation)`, async () => {
      const url = new URL('/servers/dev/mcp', server.url);
      const c = new Client({ name: 'plugboard-e2e-virtual', version: '1.0.0' }, { versionNegotiation: { mode } });
      // the proxy imports the upstream's tools, then its resources, then its prompts: wait for all three
      const templates = (await direct.listResourceTemplates()).resourceTemplates.length;
      await until('the upstream behind the virtual server', async () => {
        const probe = new Client({ name: 'probe', version: '1.0.0' }, { versionNegotiation: { mode } });
        await probe.connect(new StreamableHTTPClientTransport(url));
        try {
          return (await probe.listTools()).tools.length === 3 && (await probe.listPrompts()).prompts.length === 1
            && (await probe.listResourceTemplates()).resourceTemplates.length === templates;
        } finally {
          await probe.close();
        }
      });
      await c.connect(new StreamableHTTPClientTransport(url));
      try {
        assert.equal(c.getNegotiatedProtocolVersion(), mode === 'auto' ? '2026-07-28' : '2025-11-25');
        assert.deepEqual((await c.listTools()).tools.map((t) => t.name).sort(),
          ['calculate', 'everything__echo', 'everything__get-sum']);
        assert.deepEqual((await c.listPrompts()).prompts.map((p) => p.name), ['everything__args-prompt']);
        assert.deepEqual((await c.listResources()).resources, []);
        assert.deepEqual((await c.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate).sort(),
          (await direct.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate).sort());

        const args = { city: 'Lyon' };
        // (the stateless revision adds the server's _meta; what the upstream said is the same)
        assert.deepEqual((await c.getPrompt({ name: 'everything__args-prompt', arguments: args })).messages,
          (await direct.getPrompt({ name: 'args-prompt', arguments: args })).messages);
        assert.deepEqual((await c.callTool({ name: 'everything__get-sum', arguments: { a: 19, b: 23 } })).content,
          (await direct.callTool({ name: 'get-sum', arguments: { a: 19, b: 23 } })).content);
        const read = await c.readResource({ uri: 'demo://resource/dynamic/text/5' });
        assert.match(read.contents[0].text, /^Resource 5: This is a plaintext resource/);

        await assert.rejects(c.callTool({ name: 'base64_encode', arguments: { text: 'x' } }), /Unknown tool/);
        await assert.rejects(c.getPrompt({ name: 'everything__simple-prompt' }), /Unknown prompt/);
      } finally {
        await c.close();
      }
    });
  }
});
