// Sanity load for a benchmark peer: opens N stateful MCP sessions (initialize + notifications/initialized),
// keeps them all, then calls the echo tool once on every one of them to prove the server still holds them.
// With --get-streams it also opens the standalone GET SSE stream of every session and keeps all N open while
// the calls run (N more concurrent connections); 'pending' means connected but no response headers yet.
// Loopback only; bounded in count and time.
//
//   node bench/peers/check-sessions.mjs --url http://127.0.0.1:PORT/mcp [--sessions 1000] [--concurrency 50]
//                                       [--get-streams] [--timeout-s 120]
//
// Exits 0 when every session was created and every call echoed its message, 1 otherwise.
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
    options: {
        url: { type: 'string' },
        sessions: { type: 'string', default: '1000' },
        concurrency: { type: 'string', default: '50' },
        'get-streams': { type: 'boolean', default: false },
        'timeout-s': { type: 'string', default: '120' }
    },
    strict: true
});
if (!opt.url) {
    console.error('usage: node check-sessions.mjs --url http://127.0.0.1:PORT/mcp [--sessions N] [--concurrency C] [--get-streams]');
    process.exit(2);
}
const url = new URL(opt.url);
if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    console.error('check-sessions: loopback URLs only');
    process.exit(2);
}
const N = Number(opt.sessions);
const C = Number(opt.concurrency);
const deadline = setTimeout(() => {
    console.error(`check-sessions: gave up after ${opt['timeout-s']} s`);
    process.exit(1);
}, Number(opt['timeout-s']) * 1000);

const PROTOCOL = '2025-11-25';
const baseHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** The JSON-RPC message with the given id from a JSON or SSE response body. */
async function readMessage(res, id) {
    const type = res.headers.get('content-type') ?? '';
    const text = await res.text();
    if (type.startsWith('application/json')) return JSON.parse(text);
    if (type.startsWith('text/event-stream')) {
        for (const block of text.split(/\r?\n\r?\n/)) {
            const data = block
                .split(/\r?\n/)
                .filter((l) => l.startsWith('data:'))
                .map((l) => l.slice(5).trimStart())
                .join('\n');
            if (!data) continue;
            const msg = JSON.parse(data);
            if (msg.id === id) return msg;
        }
        throw new Error(`no response with id ${id} in SSE body: ${text.slice(0, 200)}`);
    }
    throw new Error(`HTTP ${res.status} ${type}: ${text.slice(0, 200)}`);
}

async function post(body, sessionId) {
    const headers = { ...baseHeaders };
    if (sessionId) {
        headers['mcp-session-id'] = sessionId;
        headers['mcp-protocol-version'] = PROTOCOL;
    }
    return fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
}

async function openSession(i) {
    const res = await post({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: 'check-sessions', version: '1' } }
    });
    const sessionId = res.headers.get('mcp-session-id');
    const msg = await readMessage(res, 1);
    if (!sessionId || msg.result?.protocolVersion !== PROTOCOL) {
        throw new Error(`session ${i}: bad initialize: ${JSON.stringify(msg)}`);
    }
    const ack = await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, sessionId);
    await ack.arrayBuffer();
    if (ack.status !== 202) throw new Error(`session ${i}: notifications/initialized got HTTP ${ack.status}`);
    return sessionId;
}

/**
 * Starts the standalone GET SSE stream of a session without waiting for it: some servers (the Java SDK 2.1.0
 * servlet transport) send no bytes, not even the status line, until the first event on that stream.
 */
function openGetStream(sessionId) {
    const controller = new AbortController();
    const stream = { controller, state: 'pending' };
    fetch(url, {
        method: 'GET',
        headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId, 'mcp-protocol-version': PROTOCOL },
        signal: controller.signal
    }).then(
        (res) => {
            stream.state = res.status === 200 ? 'open' : `HTTP ${res.status}`;
            if (res.status !== 200) res.body?.cancel();
        },
        (err) => {
            if (!controller.signal.aborted) stream.state = `error ${err.cause?.code ?? err.message}`;
        }
    );
    return stream;
}

async function callEcho(sessionId, i) {
    const message = `hello ${i}`;
    const res = await post(
        { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { message } } },
        sessionId
    );
    const msg = await readMessage(res, 2);
    const text = msg.result?.content?.[0]?.text;
    if (text !== message) throw new Error(`session ${i}: echo returned ${JSON.stringify(msg)}`);
}

/** Runs fn(i) for i in [0, n) with at most c in flight; returns the results in order. */
async function pool(n, c, fn) {
    const out = new Array(n);
    let next = 0;
    async function worker() {
        while (next < n) {
            const i = next++;
            out[i] = await fn(i);
        }
    }
    await Promise.all(Array.from({ length: Math.min(c, n) }, worker));
    return out;
}

function summarize(streams) {
    const counts = {};
    for (const s of streams) counts[s.state] = (counts[s.state] ?? 0) + 1;
    return Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ');
}

const t0 = performance.now();
const ids = await pool(N, C, openSession);
const t1 = performance.now();
console.log(`opened ${new Set(ids).size} distinct sessions in ${((t1 - t0) / 1000).toFixed(1)} s`);

let streams = [];
if (opt['get-streams']) {
    streams = ids.map(openGetStream);
    await new Promise((r) => setTimeout(r, 2000));
    console.log(`GET SSE streams after 2 s: ${summarize(streams)}`);
}

const t2 = performance.now();
await pool(N, C, (i) => callEcho(ids[i], i));
const t3 = performance.now();
console.log(`echo answered on all ${N} sessions in ${((t3 - t2) / 1000).toFixed(1)} s`);

if (streams.length > 0) {
    console.log(`GET SSE streams after the calls: ${summarize(streams)}`);
    const failed = streams.filter((s) => s.state !== 'open' && s.state !== 'pending');
    for (const s of streams) s.controller.abort();
    if (failed.length > 0) {
        console.error(`check-sessions: ${failed.length} GET streams failed`);
        process.exit(1);
    }
}
clearTimeout(deadline);
console.log(`OK ${N} sessions held`);
process.exit(0);
