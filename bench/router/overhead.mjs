// Router overhead: latency the model router adds over calling the model server directly, in one run.
// Starts the built distribution (distribution/target/plugboard) with only the router bundle, in front
// of the e2e tests' fake OpenAI-compatible server on loopback, and times sequential calls (one client,
// keep-alive) of four kinds: direct to the fake server, a pass-through (a model named, cache off), an
// exact-cache hit, and a rule route (auto, a rule on qualityLevel). Prints p50/p99 of each and of the
// added latency, and writes them as JSON to bench/results/<date>-router-overhead.json.
//   node bench/router/overhead.mjs [calls=2000] [warm-up calls per path=3000]
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { fakeOpenAi } from '../../tests/e2e/test/support/fake-openai.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const dist = join(root, 'distribution', 'target', 'plugboard');
const calls = Number(process.argv[2] ?? 2000);
const warmup = Number(process.argv[3] ?? 3000);

const fake = await fakeOpenAi();
const ws = mkdtempSync(join(tmpdir(), 'router-bench-'));
mkdirSync(join(ws, 'bundles'));
mkdirSync(join(ws, 'config'));
copyFileSync(join(dist, 'bundles', 'plugboard-router.jar'), join(ws, 'bundles', 'plugboard-router.jar'));
function config(cache) {
  writeFileSync(join(ws, 'config', 'router.json'), JSON.stringify({
    providers: { fake: { baseUrl: fake.baseUrl } },
    models: { small: { provider: 'fake', model: 'tiny', inputPerMillion: 1, outputPerMillion: 2 } },
    tiers: { L0: { models: ['small'] }, L1: { models: ['small'] } },
    rules: [{ name: 'high', when: { qualityLevel: 'high' }, tier: 'L1' }],
    cache: { enabled: cache },
  }));
}
config(false);

const child = spawn(join(dist, 'bin', 'plugboard'), ['serve', '--port', '0', '--bundles', join(ws, 'bundles'),
  '--data', join(ws, 'data'), '--config', join(ws, 'config')], { stdio: ['ignore', 'pipe', 'pipe'] });
const mcp = await new Promise((resolve, reject) => {
  const lines = createInterface({ input: child.stderr });
  lines.on('line', (line) => {
    const m = line.match(/MCP at (http:\/\/\S+\/mcp)/);
    if (m) {
      resolve(m[1]);
    }
  });
  child.on('exit', (code) => reject(new Error(`plugboard exited with ${code}`)));
});
const base = mcp.replace(/\/mcp$/, '');

async function post(url, body) {
  const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const text = await r.text();
  if (r.status !== 200) {
    throw new Error(`${url} answered ${r.status}: ${text}`);
  }
  return JSON.parse(text);
}

async function until(condition) {
  const deadline = Date.now() + 60_000;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error('timed out');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function time(name, request) {
  for (let i = 0; i < warmup; i++) {
    await request(i);
  }
  const samples = [];
  for (let i = 0; i < calls; i++) {
    const t = process.hrtime.bigint();
    await request(i);
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const at = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  return { name, p50: at(0.5), p99: at(0.99) };
}

const message = (i) => [{ role: 'user', content: `question ${i}` }];
try {
  await until(async () => (await fetch(`${base}/v1/models`)).status === 200);
  const results = [];
  results.push(await time('direct', (i) => post(`${fake.baseUrl}/chat/completions`, { model: 'tiny', messages: message(i) })));
  results.push(await time('pass-through', (i) => post(`${base}/v1/chat/completions`, { model: 'small', messages: message(i) })));
  results.push(await time('rule route', (i) => post(`${base}/v1/chat/completions`,
    { model: 'auto', messages: message(i), plugboard: { qualityLevel: 'high' } })));
  config(true);
  await until(async () => (await post(`${base}/v1/chat/completions`, { model: 'small', messages: message(-1) }))
    .plugboard.cache !== 'off');
  await post(`${base}/v1/chat/completions`, { model: 'small', messages: message(-1) });
  results.push(await time('exact-cache hit', () => post(`${base}/v1/chat/completions`, { model: 'small', messages: message(-1) })));
  const direct = results[0];
  console.log(`router overhead, ${calls} sequential calls each after ${warmup} warm-up calls (ms)`);
  console.log('| path | p50 | p99 | p50 added over direct | p99 added |');
  console.log('|---|---|---|---|---|');
  for (const r of results) {
    console.log(`| ${r.name} | ${r.p50.toFixed(3)} | ${r.p99.toFixed(3)} | ${(r.p50 - direct.p50).toFixed(3)} | ${(r.p99 - direct.p99).toFixed(3)} |`);
  }
  const stamp = new Date().toISOString().replace(/:\d\d\.\d+Z$/, 'Z').replace(/:/g, '');
  writeFileSync(join(root, 'bench', 'results', `${stamp}-router-overhead.json`), JSON.stringify({ calls, warmup, results }, null, 2));
} finally {
  child.kill('SIGTERM');
  await fake.close();
  await new Promise((resolve) => child.on('close', resolve));
  rmSync(ws, { recursive: true, force: true });
}
