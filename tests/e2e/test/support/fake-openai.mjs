// An OpenAI-compatible chat-completions server on a loopback port for the router's end-to-end test.
// It speaks the wire format (whole answers, chat.completion.chunk streams with a usage chunk and
// [DONE]) and behaves by the upstream model name: "judge-reject" answers a rejecting verdict,
// "cutter" sends two content chunks and holds its stream open until the test calls cut(), which ends
// the connection without [DONE]; every other model answers "answer from <model>".
import { createServer } from 'node:http';

export async function fakeOpenAi() {
  const requests = [];
  const heldStreams = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      if (req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error', param: null, code: null } }));
        return;
      }
      const request = JSON.parse(body);
      requests.push(request);
      const model = request.model;
      const text = model === 'judge-reject'
        ? JSON.stringify({ verdict: 'reject', issues: ['the answer is wrong'], openQuestions: [] })
        : `answer from ${model}`;
      const usage = { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16, prompt_tokens_details: { cached_tokens: 0 } };
      const base = { id: 'chatcmpl-e2e', created: 1700000000, model };
      if (!request.stream) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ ...base, object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }], usage }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      const send = (o) => res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', ...o })}\n\n`);
      send({ choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
      const words = text.split(/(?<= )/);
      if (model === 'cutter') {
        send({ choices: [{ index: 0, delta: { content: 'partial ' }, finish_reason: null }] });
        send({ choices: [{ index: 0, delta: { content: 'answer ' }, finish_reason: null }] });
        // the connection ends, without [DONE], when the test says so: after its client has read both
        heldStreams.push(res);
        return;
      }
      for (const w of words) {
        send({ choices: [{ index: 0, delta: { content: w }, finish_reason: null }] });
      }
      send({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
      if (request.stream_options?.include_usage) {
        send({ choices: [], usage });
      }
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${server.address().port}/v1`,
    requests,
    /** Ends every held "cutter" stream's connection. */
    cut: () => heldStreams.splice(0).forEach((res) => res.destroy()),
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}
