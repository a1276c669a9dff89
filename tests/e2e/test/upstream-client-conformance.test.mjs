// The official conformance suite's CLIENT scenarios against the proxy's client side: the host's
// upstream client (the engine's own JSON-RPC codec and transports), run as a command by the suite
// through dev.plugboard.host.upstream.ConformanceClient from the distribution's lib folder.
// No expected-failures baseline: every check of every scenario run must succeed. The auth/*
// scenarios are not run: the proxy's client has no OAuth flow (an upstream's token goes in
// "headers").
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { distribution } from './support/plugboard.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, '..', 'node_modules');
const node22 = join(modules, '.bin', 'node');
const results = join(here, '..', 'target', 'conformance-client');
const java = process.env.PLUGBOARD_JAVA ?? 'java';
const command = `${java} -cp '${join(distribution, 'lib')}/*' dev.plugboard.host.upstream.ConformanceClient`;

/** Runs one client scenario; resolves to { code, output }. */
function scenario(name) {
  const dir = join(results, name.replaceAll('/', '_'));
  mkdirSync(dir, { recursive: true });
  const child = spawn(node22, [join(modules, 'conformance-0.2.0-alpha.12', 'dist', 'index.js'), 'client',
    '--command', command, '--scenario', name, '-o', dir], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  child.stdout.on('data', (c) => output.push(c.toString()));
  child.stderr.on('data', (c) => output.push(c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output: output.join('') })));
}

describe('the conformance suite\'s client scenarios against the proxy\'s upstream client', { timeout: 600_000 }, () => {
  const scenarios = ['initialize', 'tools_call', 'elicitation-sep1034-client-defaults', 'sse-retry', 'request-metadata'];
  let passed = 0;
  for (const name of scenarios) {
    it(name, async () => {
      const { code, output } = await scenario(name);
      const summary = output.match(/Passed: (\d+)\/(\d+), (\d+) failed, (\d+) warnings/);
      assert.ok(summary, `no summary in:\n${output}`);
      assert.equal(code, 0, output);
      assert.equal(summary[1], summary[2], output);
      assert.equal(summary[4], '0', `warnings:\n${output}`);
      passed += Number(summary[1]);
    });
  }
  it('reports the checks passed', () => {
    console.log(`conformance client checks passed: ${passed}`);
    assert.ok(passed >= scenarios.length);
  });
});
