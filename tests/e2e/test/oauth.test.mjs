// The TypeScript SDK client's own OAuth 2.1 flow against the real distribution as a resource server:
// the SDK follows Plugboard's 401 (WWW-Authenticate resource_metadata) to its protected-resource
// metadata, finds the authorisation server there, registers itself dynamically, runs the
// authorisation-code flow with PKCE for Plugboard's resource URI (RFC 8707), and calls tools with the
// JWT it got, which Plugboard validates against the server's JWKS. The authorisation server is a
// small test peer in this file (real RSA keys, real signed JWTs), not part of Plugboard.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { serve, until, workspace, writeConfigFile } from './support/plugboard.mjs';

const b64url = (value) => Buffer.from(value).toString('base64url');

/**
 * A minimal OAuth 2.1 authorisation server: metadata (RFC 8414), dynamic client registration
 * (RFC 7591), an authorisation endpoint that approves at once, a token endpoint that checks PKCE
 * (S256) and issues RS256 JWT access tokens for the requested resource, and its JWKS.
 */
async function authorizationServer() {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'e2e-1';
  const clients = new Map();
  const codes = new Map();
  const seen = { registrations: 0, authorizations: [], tokens: [] };
  let issuer;

  const json = (res, status, body) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const body = (req) => new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
  });
  const jwt = (claims) => {
    const signingInput = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'at+jwt', kid }))}.${b64url(JSON.stringify(claims))}`;
    return `${signingInput}.${sign('RSA-SHA256', Buffer.from(signingInput), privateKey).toString('base64url')}`;
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, issuer);
    if (req.method === 'GET' && url.pathname === '/.well-known/oauth-authorization-server') {
      return json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        registration_endpoint: `${issuer}/register`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none'],
      });
    }
    if (req.method === 'GET' && url.pathname === '/jwks') {
      return json(res, 200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] });
    }
    if (req.method === 'POST' && url.pathname === '/register') {
      const metadata = JSON.parse(await body(req));
      const client = { ...metadata, client_id: `client-${++seen.registrations}`, token_endpoint_auth_method: 'none',
        client_id_issued_at: Math.floor(Date.now() / 1000) };
      clients.set(client.client_id, client);
      return json(res, 201, client);
    }
    if (req.method === 'GET' && url.pathname === '/authorize') {
      const q = Object.fromEntries(url.searchParams);
      seen.authorizations.push(q);
      const client = clients.get(q.client_id);
      if (!client || !client.redirect_uris.includes(q.redirect_uri) || q.code_challenge_method !== 'S256') {
        return json(res, 400, { error: 'invalid_request' });
      }
      const code = randomBytes(16).toString('base64url');
      codes.set(code, { ...q });
      const back = new URL(q.redirect_uri);
      back.searchParams.set('code', code);
      if (q.state) back.searchParams.set('state', q.state);
      res.writeHead(302, { Location: back.toString() });
      return res.end();
    }
    if (req.method === 'POST' && url.pathname === '/token') {
      const form = Object.fromEntries(new URLSearchParams(await body(req)));
      seen.tokens.push(form);
      const grant = codes.get(form.code);
      codes.delete(form.code);
      const challenge = createHash('sha256').update(form.code_verifier ?? '').digest('base64url');
      if (form.grant_type !== 'authorization_code' || !grant || grant.client_id !== form.client_id
          || grant.redirect_uri !== form.redirect_uri || grant.code_challenge !== challenge) {
        return json(res, 400, { error: 'invalid_grant' });
      }
      const now = Math.floor(Date.now() / 1000);
      const token = jwt({ iss: issuer, sub: 'sdk-user', aud: form.resource ?? grant.resource, scope: grant.scope,
        client_id: form.client_id, iat: now, exp: now + 300 });
      return json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 300, scope: grant.scope });
    }
    json(res, 404, { error: 'not_found' });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${server.address().port}`;
  return { issuer, seen, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** An OAuth client provider kept in memory, as an application would keep it in its own storage. */
class MemoryProvider {
  redirectUrl = 'http://127.0.0.1:9/callback';
  clientMetadata = {
    client_name: 'plugboard-e2e',
    redirect_uris: ['http://127.0.0.1:9/callback'],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  };
  authorizationUrl;
  #client;
  #tokens;
  #verifier;
  state() { return 'e2e-state'; }
  clientInformation() { return this.#client; }
  saveClientInformation(info) { this.#client = info; }
  tokens() { return this.#tokens; }
  saveTokens(tokens) { this.#tokens = tokens; }
  redirectToAuthorization(url) { this.authorizationUrl = url; }
  saveCodeVerifier(verifier) { this.#verifier = verifier; }
  codeVerifier() { return this.#verifier; }
}

describe('OAuth 2.1: the TypeScript SDK client against Plugboard as a resource server', () => {
  let ws;
  let server;
  let as;

  before(async () => {
    as = await authorizationServer();
    ws = workspace('plugboard-essentials');
    const config = join(ws.root, 'config');
    mkdirSync(config);
    server = await serve(ws, ['--config', config]);
    // The resource URI is this server's URL, known once it listens: written into the live configuration.
    writeConfigFile(config, 'security.json', {
      requireCredentials: true,
      resource: server.url,
      oauth: { issuer: as.issuer, jwksUri: `${as.issuer}/jwks`, scopes: { 'plugboard:tools': ['user'] } },
    });
    await until('the server to require credentials', async () => (await fetch(server.url, { method: 'POST',
      headers: { 'Content-Type': 'application/json' }, body: '{}' })).status === 401);
  });

  after(async () => {
    await server?.stop();
    await as?.close();
    ws?.dispose();
  });

  it('discovers the authorisation server from the 401, authorises with PKCE for this resource, and calls tools', async () => {
    const provider = new MemoryProvider();
    const first = new Client({ name: 'plugboard-e2e', version: '1.0.0' });
    await assert.rejects(first.connect(new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider })),
      UnauthorizedError);
    await first.close();
    assert.ok(provider.authorizationUrl, 'the SDK asked for the user to authorise');
    assert.equal(provider.authorizationUrl.origin, as.issuer, 'found through the protected-resource metadata');
    assert.equal(as.seen.registrations, 1, 'the SDK registered itself dynamically');
    const asked = Object.fromEntries(provider.authorizationUrl.searchParams);
    assert.equal(asked.code_challenge_method, 'S256');
    assert.equal(asked.resource, server.url, 'the resource indicator is Plugboard\'s resource URI (RFC 8707)');
    assert.equal(asked.scope, 'plugboard:tools', 'the scope comes from the metadata\'s scopes_supported');

    // The user agent follows the authorisation URL; the authorisation server redirects back with a code.
    const redirect = await fetch(provider.authorizationUrl, { redirect: 'manual' });
    assert.equal(redirect.status, 302);
    assert.equal(as.seen.authorizations.length, 1);
    const back = new URL(redirect.headers.get('location'));
    assert.equal(back.searchParams.get('state'), 'e2e-state');
    const transport = new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider });
    await transport.finishAuth(back.searchParams.get('code'));
    assert.equal(as.seen.tokens[0].resource, server.url);
    assert.ok(provider.tokens()?.access_token, 'the SDK holds an access token');

    const client = new Client({ name: 'plugboard-e2e', version: '1.0.0' });
    await client.connect(transport);
    const { tools } = await client.listTools();
    assert.ok(tools.some((t) => t.name === 'calculate'), 'the token\'s role (user) sees the tools');
    const result = await client.callTool({ name: 'calculate', arguments: { expression: '6*7' } });
    assert.equal(result.isError, undefined);
    assert.equal(result.structuredContent.result, 42);
    await client.close();
  });

  it('refuses a token for another resource, naming the metadata in its challenge', async () => {
    const meta = await (await fetch(new URL('/.well-known/oauth-protected-resource/mcp', server.url))).json();
    assert.equal(meta.resource, server.url);
    assert.deepEqual(meta.authorization_servers, [as.issuer]);
    // a real token of the same issuer, but bound to another audience
    const provider = new MemoryProvider();
    const other = new Client({ name: 'plugboard-e2e', version: '1.0.0' });
    await assert.rejects(other.connect(new StreamableHTTPClientTransport(new URL(server.url), { authProvider: provider })),
      UnauthorizedError);
    await other.close();
    const back = new URL((await fetch(provider.authorizationUrl, { redirect: 'manual' })).headers.get('location'));
    const form = new URLSearchParams({ grant_type: 'authorization_code', code: back.searchParams.get('code'),
      code_verifier: provider.codeVerifier(), redirect_uri: provider.redirectUrl,
      client_id: provider.clientInformation().client_id, resource: 'https://elsewhere.example/mcp' });
    const { access_token: token } = await (await fetch(`${as.issuer}/token`, { method: 'POST', body: form })).json();
    const refused = await fetch(server.url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25',
        capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
    });
    assert.equal(refused.status, 401);
    const challenge = refused.headers.get('www-authenticate');
    assert.match(challenge, /^Bearer /);
    assert.match(challenge, /error="invalid_token"/);
    assert.ok(challenge.includes(`resource_metadata="${new URL('/.well-known/oauth-protected-resource/mcp', server.url)}"`),
      challenge);
  });
});

describe('the conformance suites\' authorisation scenarios', () => {
  const here = dirname(fileURLToPath(import.meta.url));
  const modules = join(here, '..', 'node_modules');
  const node22 = join(modules, '.bin', 'node');

  for (const pkg of ['conformance-0.1.16', 'conformance-0.2.0-alpha.12']) {
    it(`${pkg}: every auth/* scenario tests a client, none a server (so none runs against Plugboard)`, () => {
      const run = spawnSync(node22, [join(modules, pkg, 'dist', 'index.js'), 'list'], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      const sections = {};
      let current;
      for (const line of run.stdout.split('\n')) {
        const heading = line.match(/^(\w[\w ]*) scenarios/);
        if (heading) current = heading[1].toLowerCase();
        const scenario = line.match(/^\s+- (\S+)/);
        if (scenario && current) (sections[current] ??= []).push(scenario[1]);
      }
      assert.ok(sections.server?.length > 0, run.stdout);
      assert.ok(sections.client?.some((s) => s.startsWith('auth/')), run.stdout);
      // When a version adds server-side auth scenarios, this fails: add them to the OAuth run above.
      assert.deepEqual(sections.server.filter((s) => s.startsWith('auth')), []);
    });
  }
});
