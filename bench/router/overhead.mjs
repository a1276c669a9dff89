// Router overhead: latency the model router adds over calling the model server directly, in one run.
// Starts the built distribution (distribution/target/plugboard) with only the router bundle, in front
// of the e2e tests' fake OpenAI-compatible server on loopback, and times sequential calls (one client,
// keep-alive) of five kinds, after the pass-through and rule paths are warmed together: direct to
// the fake server, a pass-through (a model named, cache off), a rule route (auto, a rule on qualityLevel), a learned route (auto, the learned router over the host's
// local embeddings, each measured prompt new so that its embedding is computed), and an exact-cache
// hit. Prints p50/p99 of each and of the added latency, and writes them to
// bench/results/router-overhead/<date>-router-overhead.json and .md, with the load average.
//   node bench/router/overhead.mjs [calls=2000] [warm-up calls per path=3000] [learned calls=calls/4]
// PLUGBOARD_OPTS is passed to the server (for example a JFR recording for profiling).
// SERVER_CPUS (a taskset list, e.g. 0) pins the server to those CPUs; run the script itself under
// `taskset -c 1` so that the client and the fake model server do not share the server's CPU.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { fakeOpenAi } from '../../tests/e2e/test/support/fake-openai.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
// PLUGBOARD_DIST: another built distribution to measure (a baseline), with this script and fake server
const dist = process.env.PLUGBOARD_DIST ?? join(root, 'distribution', 'target', 'plugboard');
const calls = Number(process.argv[2] ?? 2000);
const warmup = Number(process.argv[3] ?? 3000);
// a learned route embeds every prompt (milliseconds each on this machine), so it is timed on fewer calls
const learnedCalls = Number(process.argv[4] ?? Math.max(100, Math.floor(calls / 4)));

const fake = await fakeOpenAi();
const ws = mkdtempSync(join(tmpdir(), 'router-bench-'));
mkdirSync(join(ws, 'bundles'));
mkdirSync(join(ws, 'config'));
copyFileSync(join(dist, 'bundles', 'plugboard-router.jar'), join(ws, 'bundles', 'plugboard-router.jar'));
// the learned router's labelled history: proofs the weak tier gets wrong, look-ups it gets right
const hard = ['Prove that there are infinitely many prime numbers.',
  'Prove by induction that the sum of the first n odd numbers is n squared.',
  'Prove that the square root of 2 is irrational.', 'Give a rigorous proof of the intermediate value theorem.',
  'Prove that every finite group of prime order is cyclic.', 'Prove the Cauchy-Schwarz inequality.'];
const easy = ['What is the capital of France?', 'What is the capital of Italy?', 'Name the capital of Spain.',
  'Which city is the capital of Japan?', 'What is the capital of Peru?', 'Tell me the capital of Canada.'];
writeFileSync(join(ws, 'config', 'examples.jsonl'), [
  ...hard.map((prompt) => JSON.stringify({ prompt, weakCorrect: false, strongCorrect: true })),
  ...easy.map((prompt) => JSON.stringify({ prompt, weakCorrect: true, strongCorrect: true })),
].join('\n') + '\n');
function config(cache, learned = false) {
  writeFileSync(join(ws, 'config', 'router.json'), JSON.stringify({
    providers: { fake: { baseUrl: fake.baseUrl } },
    models: { small: { provider: 'fake', model: 'tiny', inputPerMillion: 1, outputPerMillion: 2 } },
    tiers: { L0: { models: ['small'] }, L1: { models: ['small'] } },
    rules: [{ name: 'high', when: { qualityLevel: 'high' }, tier: 'L1' }],
    cache: { enabled: cache },
    ...(learned ? { learned: { weakTier: 'L0', strongTier: 'L1', targetStrongShare: 0.5, examples: 'examples.jsonl' } } : {}),
  }));
}
config(false);

const serve = [join(dist, 'bin', 'plugboard'), 'serve', '--port', '0', '--bundles', join(ws, 'bundles'),
  '--data', join(ws, 'data'), '--config', join(ws, 'config')];
const serverCpus = process.env.SERVER_CPUS;
const command = serverCpus ? ['taskset', '-c', serverCpus, ...serve] : serve;
const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
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

async function time(name, request, n = calls, warm = warmup) {
  for (let i = 0; i < warm; i++) {
    await request(i);
  }
  const samples = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await request(warm + i); // a prompt not seen in the warm-up
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const at = (q) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  return { name, calls: n, p50: at(0.5), p99: at(0.99) };
}

const loadBefore = loadavg().map((l) => Number(l.toFixed(2)));
const message = (i) => [{ role: 'user', content: `question ${i}` }];
try {
  await until(async () => (await fetch(`${base}/v1/models`)).status === 200);
  // the JIT compiles the router's and the HTTP client's paths for thousands of calls: the pass-through
  // and rule paths are warmed together first, so that the first path timed is not the one still compiling
  for (let i = 0; i < warmup; i++) {
    await post(`${base}/v1/chat/completions`, { model: 'small', messages: message(i) });
    await post(`${base}/v1/chat/completions`, { model: 'auto', messages: message(i), plugboard: { qualityLevel: 'high' } });
  }
  const results = [];
  results.push(await time('direct', (i) => post(`${fake.baseUrl}/chat/completions`, { model: 'tiny', messages: message(i) })));
  results.push(await time('pass-through', (i) => post(`${base}/v1/chat/completions`, { model: 'small', messages: message(i) })));
  results.push(await time('rule route', (i) => post(`${base}/v1/chat/completions`,
    { model: 'auto', messages: message(i), plugboard: { qualityLevel: 'high' } })));
  config(false, true);
  // the learned router's state is detail of the readiness report, which only the admin key sees
  const admin = { Authorization: `Bearer ${readFileSync(join(ws, 'data', 'admin.key'), 'utf8').trim()}` };
  await until(async () => (await (await fetch(`${base}/health/ready`, { headers: admin })).json())
    .plugins?.router?.learned?.startsWith?.('available') === true);
  const topics = ['Prove that', 'What is the capital of', 'Explain why', 'Name the largest'];
  results.push(await time('learned route', async (i) => {
    const answer = await post(`${base}/v1/chat/completions`,
      { model: 'auto', messages: [{ role: 'user', content: `${topics[i % 4]} item number ${i}?` }] });
    if (answer.plugboard.policy !== 'learned') {
      throw new Error(`not a learned route: ${JSON.stringify(answer.plugboard)}`);
    }
  }, learnedCalls, Math.min(warmup, 500)));
  config(true);
  await until(async () => (await post(`${base}/v1/chat/completions`, { model: 'small', messages: message(-1) }))
    .plugboard.cache !== 'off');
  await post(`${base}/v1/chat/completions`, { model: 'small', messages: message(-1) });
  results.push(await time('exact-cache hit', () => post(`${base}/v1/chat/completions`, { model: 'small', messages: message(-1) })));
  const direct = results[0];
  for (const r of results) {
    r.p50Added = r.p50 - direct.p50;
    r.p99Added = r.p99 - direct.p99;
  }
  const load = { before: loadBefore, after: loadavg().map((l) => Number(l.toFixed(2))) };
  const lines = [`router overhead, sequential calls after warm-up calls (ms; ${calls} calls after ${warmup} per path, `
    + `the learned route ${learnedCalls} after ${Math.min(warmup, 500)})`, '',
  `server CPUs: ${serverCpus ?? 'not pinned'}; load average (1, 5, 15 min) before ${load.before.join(', ')}, `
    + `after ${load.after.join(', ')}`, '',
  '| path | calls | p50 | p99 | p50 added over direct | p99 added |', '|---|---|---|---|---|---|',
  ...results.map((r) => `| ${r.name} | ${r.calls} | ${r.p50.toFixed(3)} | ${r.p99.toFixed(3)} | ${r.p50Added.toFixed(3)} | ${r.p99Added.toFixed(3)} |`)];
  console.log(lines.join('\n'));
  const stamp = new Date().toISOString().replace(/:\d\d\.\d+Z$/, 'Z').replace(/:/g, '');
  const label = process.env.PLUGBOARD_DIST ? '-baseline' : '';
  const out = join(root, 'bench', 'results', 'router-overhead');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `${stamp}-router-overhead${label}.json`),
    JSON.stringify({ calls, warmup, learnedCalls, serverCpus: serverCpus ?? null, load, results }, null, 2));
  writeFileSync(join(out, `${stamp}-router-overhead${label}.md`), lines.join('\n') + '\n');
} finally {
  child.kill('SIGTERM');
  await fake.close();
  await new Promise((resolve) => child.on('close', resolve));
  rmSync(ws, { recursive: true, force: true });
}
