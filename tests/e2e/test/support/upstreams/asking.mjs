// A 2025-11-25 stdio upstream, written with the official TypeScript SDK, whose tools ask the client
// during a call: a form (elicitation), its model (sampling), its roots, and log messages.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

const s = new McpServer({ name: 'asking-upstream', version: '1.0.0' }, { capabilities: { logging: {} } });

s.registerTool('greet', { description: 'Asks the user for a name and greets them' }, async () => {
  const answer = await s.server.elicitInput({
    message: 'Who is there?',
    requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
  });
  return { content: [{ type: 'text', text: answer.action === 'accept' ? `Hello, ${answer.content.name}!` : `no name (${answer.action})` }] };
});

s.registerTool('capital', { description: "Asks the client's model for a capital" }, async () => {
  const answer = await s.server.createMessage({
    messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }],
    maxTokens: 20,
  });
  return { content: [{ type: 'text', text: `The model said: ${answer.content.text} (${answer.model})` }] };
});

s.registerTool('roots', { description: "Counts the client's roots" }, async () => {
  const answer = await s.server.listRoots();
  return { content: [{ type: 'text', text: `Roots: ${answer.roots.map((r) => r.uri).join(', ')}` }] };
});

s.registerTool('chatty', { description: 'Logs before it answers' }, async (extra) => {
  await s.server.sendLoggingMessage({ level: 'info', logger: 'chatty', data: 'working on it' }, extra.sessionId);
  await s.server.sendLoggingMessage({ level: 'debug', logger: 'chatty', data: 'fine detail' }, extra.sessionId);
  return { content: [{ type: 'text', text: 'done' }] };
});

await s.connect(new StdioServerTransport());
