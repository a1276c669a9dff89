// The model router in the real distribution, driven by the official `openai` client from npm:
// model "auto" routed to a tier with the tier, model, reason and cost in the answer, a streamed
// answer ending with usage, a stream cut after its first token failing in the client instead of
// passing for complete, an escalation when the reviewer rejects, a conversation continued after a
// restart, and the router's meters in /metrics.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { fakeOpenAi } from './support/fake-openai.mjs';
import { serve, workspace } from './support/plugboard.mjs';

function writeRouter(config, baseUrl) {
  const aside = join(config, '.router.json.part');
  writeFileSync(aside, JSON.stringify({
    providers: { fake: { baseUrl, apiKey: '${env:FAKE_PROVIDER_KEY}' } },
    models: {
      small: { provider: 'fake', model: 'tiny', inputPerMillion: 1, outputPerMillion: 2 },
      big: { provider: 'fake', model: 'large', inputPerMillion: 10, outputPerMillion: 20 },
      cutter: { provider: 'fake' },
      judge: { provider: 'fake', model: 'judge-reject' },
    },
    tiers: { L0: { models: ['small'] }, L1: { models: ['big'] }, REVIEWED: { models: ['small'], review: true },
      TOP: { models: ['big'] } },
    rules: [{ name: 'reviewed project', when: { project: 'checked' }, tier: 'REVIEWED' }],
    review: { model: 'judge' },
  }));
  renameSync(aside, join(config, 'router.json'));
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

describe('the model router', () => {
  let ws;
  let server;
  let fake;
  let config;
  let client;
  let base;
  let key;
  let admin;

  async function start() {
    process.env.FAKE_PROVIDER_KEY = 'sk-fake';
    server = await serve(ws, ['--config', config]);
    base = server.url.replace(/\/mcp$/, '');
    admin = readFileSync(join(ws.data, 'admin.key'), 'utf8').trim();
    if (!key) {
      // a Plugboard API key for a teammate, as docs/security.md makes one; the provider's key stays in router.json
      const made = await fetch(`${base}/api/v1/keys`, {
        method: 'POST', headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'alice', role: 'user' }),
      });
      assert.equal(made.status, 201);
      key = (await made.json()).key;
    }
    client = new OpenAI({ baseURL: `${base}/v1`, apiKey: key, maxRetries: 0 });
    await until('the router serving /v1/models', async () => (await fetch(`${base}/v1/models`,
      { headers: { Authorization: `Bearer ${key}` } })).status === 200);
  }

  before(async () => {
    fake = await fakeOpenAi();
    ws = workspace('plugboard-router');
    config = join(ws.root, 'config');
    mkdirSync(config);
    writeRouter(config, fake.baseUrl);
    await start();
  });

  after(async () => {
    await server?.stop();
    await fake?.close();
    ws?.dispose();
  });

  it('lists auto, the tiers and the models', async () => {
    const ids = [];
    for await (const m of client.models.list()) {
      ids.push(m.id);
    }
    assert.deepEqual(ids, ['auto', 'L0', 'L1', 'REVIEWED', 'TOP', 'small', 'big', 'cutter', 'judge']);
  });

  it('answers model "auto" with the tier, model, reason and cost', async () => {
    const answer = await client.chat.completions.create({
      model: 'auto', messages: [{ role: 'user', content: 'What is the capital of France?' }],
    });
    assert.equal(answer.object, 'chat.completion');
    assert.equal(answer.model, 'small');
    assert.equal(answer.choices[0].message.content, 'answer from tiny');
    assert.equal(answer.plugboard.tier, 'L0');
    assert.match(answer.plugboard.reason, /default tier L0/);
    assert.ok(answer.plugboard.cost > 0);
    assert.equal(answer.usage.total_tokens, 16);
    assert.equal(fake.requests.at(-1).model, 'tiny');
  });

  it('streams with usage in the final chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'L1', stream: true, stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Tell me something' }],
    });
    let text = '';
    let last;
    for await (const chunk of stream) {
      assert.equal(chunk.object, 'chat.completion.chunk');
      text += chunk.choices[0]?.delta?.content ?? '';
      last = chunk;
    }
    assert.equal(text, 'answer from large');
    assert.deepEqual(last.choices, []);
    assert.equal(last.usage.completion_tokens, 4);
    assert.equal(last.plugboard.model, 'big');
  });

  it('fails a stream cut after its first token in the client, never as complete', async () => {
    const stream = await client.chat.completions.create({
      model: 'cutter', stream: true, messages: [{ role: 'user', content: 'Go' }],
    });
    let text = '';
    await assert.rejects(async () => {
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? '';
        if (text === 'partial answer ') {
          fake.cut(); // the model's connection drops once both chunks have reached this client
        }
      }
    }, /cut off/);
    assert.equal(text, 'partial answer ');
  });

  it('escalates when the reviewer rejects an answer', async () => {
    const answer = await client.chat.completions.create({
      model: 'auto', messages: [{ role: 'user', content: 'Where is Paris?' }],
      plugboard: { project: 'checked' },
    });
    assert.equal(answer.model, 'big');
    assert.equal(answer.plugboard.escalatedFrom, 'REVIEWED');
    assert.equal(answer.plugboard.review.verdict.verdict, 'reject');
    assert.deepEqual(answer.plugboard.handoff.knownIssues, ['the answer is wrong']);
    const reviewRequest = fake.requests.find((r) => r.model === 'judge-reject');
    assert.equal(reviewRequest.response_format.type, 'json_schema');
  });

  it('refuses an unknown model with a 404 the client reads', async () => {
    await assert.rejects(client.chat.completions.create({
      model: 'gpt-9', messages: [{ role: 'user', content: 'x' }],
    }), (e) => e.status === 404 && /neither a model, a tier nor "auto"/.test(e.message));
  });

  it('continues a conversation after a restart, and counts in /metrics', async () => {
    await client.chat.completions.create({
      model: 'L0', messages: [{ role: 'user', content: 'My name is Ada.' }], plugboard: { conversationId: 'e2e-1' },
    });
    const metrics = await (await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${admin}` } })).text();
    assert.match(metrics, /router_requests_total\{[^}]*model="small"[^}]*outcome="ok"[^}]*\} [1-9]/);
    await server.stop();
    await start();
    await client.chat.completions.create({
      model: 'L0', messages: [{ role: 'user', content: 'What is my name?' }], plugboard: { conversationId: 'e2e-1' },
    });
    const sent = fake.requests.at(-1).messages.map((m) => m.content);
    assert.deepEqual(sent, ['My name is Ada.', 'answer from tiny', 'What is my name?']);
  });
});
