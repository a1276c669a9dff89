// How the peer's memory grows when one session carries many calls, as a proxy's upstream session does
// (docs/proxy.md, "Failures"; typescript-sdk#2559). Linux only (reads /proc).
//
//   node session-growth.mjs --response json|sse [--seconds 30] [--clients 16]
//
// Starts `server.mjs` with that response mode, opens one 2025-11-25 session, calls `echo` from that many
// concurrent loops for that long (every answer checked), and prints the server's RSS every 5 s and at the
// end, with the number of calls. Exits 1 on a wrong answer.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
    options: {
        response: { type: 'string', default: 'json' },
        seconds: { type: 'string', default: '30' },
        clients: { type: 'string', default: '16' }
    },
    strict: true
});
const seconds = Number(args.seconds);
const clients = Number(args.clients);

const server = spawn(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'server.mjs'), '--port', '0',
    '--response', args.response], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((resolve, reject) => {
    server.stdout.on('data', (chunk) => {
        const m = /LISTENING (\d+)/.exec(chunk.toString());
        if (m) resolve(Number(m[1]));
    });
    server.on('exit', (code) => reject(new Error(`the peer exited with ${code}`)));
});

const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
function post(body, session) {
    return new Promise((resolve, reject) => {
        const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
        if (session) {
            headers['mcp-session-id'] = session;
            headers['mcp-protocol-version'] = '2025-11-25';
        }
        const request = http.request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers, agent }, (res) => {
            let text = '';
            res.on('data', (c) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
        });
        request.on('error', reject);
        request.end(body);
    });
}

function rssMiB() {
    const line = readFileSync(`/proc/${server.pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return Math.round(Number(line.split(/\s+/)[1]) / 1024);
}

const opened = await post(JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: {
    protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'session-growth', version: '1' } } }));
const session = opened.headers['mcp-session-id'];
await post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), session);

let id = 1;
let calls = 0;
let stop = false;
async function loop() {
    while (!stop) {
        const n = id++;
        const answer = await post(JSON.stringify({ jsonrpc: '2.0', id: n, method: 'tools/call',
            params: { name: 'echo', arguments: { message: `call ${n}` } } }), session);
        if (answer.status !== 200 || !answer.text.includes(`"call ${n}"`)) {
            process.stderr.write(`wrong answer to call ${n}: HTTP ${answer.status} ${answer.text.slice(0, 200)}\n`);
            server.kill();
            process.exit(1);
        }
        calls++;
    }
}

console.log(`${args.response} answers, one session, ${clients} loops: RSS ${rssMiB()} MiB at the start`);
const loops = Array.from({ length: clients }, loop);
for (let t = 5; t <= seconds; t += 5) {
    await new Promise((resolve) => setTimeout(resolve, 5000));
    console.log(`  ${t} s: ${calls} calls, RSS ${rssMiB()} MiB`);
}
stop = true;
await Promise.all(loops);
console.log(`${calls} calls: RSS ${rssMiB()} MiB at the end`);
server.kill();
