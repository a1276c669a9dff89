// The plugin author kit from outside the repository: a project generated from the archetype in a
// temporary folder, built with a stock Maven (and with the Maven wrapper) against only the
// distribution's sdk/repository for Plugboard's artifacts, checked with check-bundle, deployed into
// a running distribution, called with the TypeScript SDK client, updated and removed; and a second
// plugin that uses a third-party library, embedded in the bundle and as a bundle of its own.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { bundle, distribution, launcher, serve } from './support/plugboard.mjs';
import { Waiter } from './support/queue.mjs';
import { watchedFetch } from './support/stream.mjs';

const javaHome = process.env.PLUGBOARD_JAVA_HOME;
const m2 = process.env.PLUGBOARD_M2;
const source = process.env.PLUGBOARD_SOURCE;
const repository = join(distribution, 'sdk', 'repository');
const version = process.env.PLUGBOARD_VERSION;

/** The stock Maven: PLUGBOARD_MVN, else mvn on the PATH. */
function findMaven() {
  if (process.env.PLUGBOARD_MVN) {
    return process.env.PLUGBOARD_MVN;
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'mvn'))) {
      return join(dir, 'mvn');
    }
  }
  throw new Error('the plugin kit test needs a stock Maven 3.8+: install it (apt-get install maven) or set PLUGBOARD_MVN');
}

/** Runs a command and returns its output; fails the test with the output's tail when it fails. */
function run(command, args, cwd, extraEnv = {}) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, JAVA_HOME: javaHome, ...extraEnv },
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  return { status: result.status, output };
}

function ok(command, args, cwd, extraEnv) {
  const { status, output } = run(command, args, cwd, extraEnv);
  assert.equal(status, 0, `${command} ${args.join(' ')} failed in ${cwd}:\n${output.slice(-6000)}`);
  return output;
}

/** Copies a jar into the deploy folder in one step (written aside, then renamed). */
function drop(ws, jar, file) {
  const aside = join(ws.root, `.${file}.part`);
  copyFileSync(jar, aside);
  renameSync(aside, join(ws.deploy, file));
}

function emptyWorkspace() {
  const root = mkdtempSync(join(tmpdir(), 'plugboard-kit-ws-'));
  const ws = { root, deploy: join(root, 'bundles'), data: join(root, 'data') };
  mkdirSync(ws.deploy);
  return ws;
}

async function connect(url, changes) {
  const client = new Client({ name: 'plugboard-kit-e2e', version: '1.0.0' });
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => changes.push(Date.now()));
  const watch = watchedFetch();
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch: watch.fetch }));
  await watch.streamOpen;
  return client;
}

async function toolNames(client) {
  return (await client.listTools()).tools.map((t) => t.name);
}

/** Polls until the check passes or 30 s have gone by. */
async function eventually(what, check) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (await check()) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function edit(file, from, to) {
  const text = readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `${file} contains ${from}`);
  writeFileSync(file, text.replace(from, to));
}

describe('the plugin author kit, outside the repository', () => {
  let mvn;
  let root;
  let ws;
  let server;
  let client;
  const changes = new Waiter();

  before(async () => {
    mvn = findMaven();
    root = mkdtempSync(join(tmpdir(), 'plugboard-kit-'));
    // Plugboard's artifacts come only from the distribution's repository (named in the generated
    // POM); everything else from the local repository the main build filled, read as a file
    // mirror, so nothing is fetched from the network and nothing is written to it.
    writeFileSync(join(root, 'settings.xml'), `<settings>
  <localRepository>${join(root, 'repository')}</localRepository>
  <mirrors>
    <mirror><id>build-local</id><mirrorOf>*,!plugboard-sdk</mirrorOf><url>file://${m2}</url></mirror>
  </mirrors>
</settings>
`);
    mkdirSync(join(root, '.mvn', 'wrapper'), { recursive: true });
    writeFileSync(join(root, '.mvn', 'maven.config'), `-s\n${join(root, 'settings.xml')}\n`);
    copyFileSync(join(source, 'mvnw'), join(root, 'mvnw'));
    copyFileSync(join(source, '.mvn', 'wrapper', 'maven-wrapper.properties'), join(root, '.mvn', 'wrapper', 'maven-wrapper.properties'));
    ws = emptyWorkspace();
    server = await serve(ws);
    client = await connect(server.url, changes);
  });

  after(async () => {
    await client?.close();
    await server?.stop();
    if (ws) rmSync(ws.root, { recursive: true, force: true });
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('creates a plugin with new-plugin, builds it with a stock Maven, deploys, calls, updates and removes it', async () => {
    ok(launcher, ['new-plugin', 'kit-greeter'], root, { PLUGBOARD_MVN: mvn });
    const project = join(root, 'kit-greeter');
    const pom = readFileSync(join(project, 'pom.xml'), 'utf8');
    assert.match(pom, /<url>file:.*sdk\/repository\/?<\/url>/, 'the POM names the shipped repository');

    const build = ok(mvn, ['-B', 'package'], project);
    assert.match(build, /Tests run: \d+, Failures: 0, Errors: 0, Skipped: 0/, 'the unit and in-framework tests ran');
    const jar = join(project, 'target', 'kit-greeter-1.0.0.jar');
    const check = ok(launcher, ['check-bundle', jar], root);
    assert.match(check, /tool greet: input schema valid/);
    assert.match(check, /prompt welcome_message/);
    assert.match(check, /OK: ready to deploy/);

    changes.clear();
    drop(ws, jar, 'kit-greeter.jar');
    await changes.next('list_changed after the drop');
    assert.ok((await toolNames(client)).includes('greet'));
    const hi = await client.callTool({ name: 'greet', arguments: { name: 'Ada' } });
    assert.equal(hi.structuredContent.text, 'Hi Ada!');
    const failed = await client.callTool({ name: 'greet', arguments: { name: ' ' } });
    assert.equal(failed.isError, true);
    assert.equal(failed.content[0].text, 'name must not be blank');
    const prompt = await client.getPrompt({ name: 'welcome_message', arguments: { name: 'Ada' } });
    assert.match(prompt.messages[0].content.text, /Ada/);

    edit(join(project, 'src', 'main', 'java', 'com', 'example', 'kitgreeter', 'Greeter.java'), '"Hi " + name + "!"', '"Hello again, " + name + "!"');
    ok(mvn, ['-B', '-q', 'package', '-DskipTests'], project);
    // The update changes the tool's code, not its definition: the listed tools stay the same, so
    // clients are sent no list_changed; the next calls reach the new version.
    drop(ws, jar, 'kit-greeter.jar');
    await eventually('the updated greet', async () => {
      const r = await client.callTool({ name: 'greet', arguments: { name: 'Ada' } }).catch(() => null);
      return r?.structuredContent?.text === 'Hello again, Ada!';
    });

    changes.clear();
    rmSync(join(ws.deploy, 'kit-greeter.jar'));
    await changes.next('list_changed after the removal');
    await eventually('greet to be gone', async () => !(await toolNames(client)).includes('greet'));
  });

  it('builds a plugin that uses a third-party library, embedded and as a bundle of its own, with the wrapper', async () => {
    ok(mvn, ['-B', '-gs', join(distribution, 'sdk', 'settings.xml'), `-Dplugboard.repository=file://${repository}`,
      'org.apache.maven.plugins:maven-archetype-plugin:3.3.1:generate',
      '-DarchetypeGroupId=dev.plugboard', '-DarchetypeArtifactId=plugboard-plugin-archetype',
      `-DarchetypeVersion=${version}`,
      '-DgroupId=org.acme', '-DartifactId=kit-quotes', '-Dversion=1.0.0', '-Dpackage=org.acme.quotes',
      `-DplugboardRepository=file://${repository}`], root);
    const project = join(root, 'kit-quotes');
    edit(join(project, 'pom.xml'), '    <!-- provided: the host supplies', `    <dependency>
      <groupId>org.apache.commons</groupId>
      <artifactId>commons-lang3</artifactId>
      <version>3.17.0</version>
    </dependency>
    <!-- provided: the host supplies`);
    writeFileSync(join(project, 'src', 'main', 'java', 'org', 'acme', 'quotes', 'Abbreviator.java'), `package org.acme.quotes;

import dev.plugboard.api.McpProvider;
import dev.plugboard.api.tool.Param;
import dev.plugboard.api.tool.Tool;
import org.apache.commons.lang3.StringUtils;
import org.osgi.service.component.annotations.Component;

@Component(service = Abbreviator.class)
@McpProvider
public class Abbreviator {

    @Tool(description = "Shortens text to a width, ending with an ellipsis", readOnly = true)
    public String abbreviate(@Param(description = "The text") String text,
                             @Param(description = "The largest width", defaultValue = "10") int width) {
        return StringUtils.abbreviate(text, width);
    }
}
`);
    const pomFile = join(project, 'pom.xml');
    const jar = join(project, 'target', 'kit-quotes-1.0.0.jar');
    const mvnw = join(root, 'mvnw');

    // Embedded: bnd copies the library's classes the plugin reaches into the bundle.
    edit(pomFile, '#   -conditionalpackage: org.apache.commons.lang3.*', '-conditionalpackage: org.apache.commons.lang3.*');
    const build = ok(mvnw, ['-B', 'package'], project);
    assert.match(build, /Tests run: \d+, Failures: 0, Errors: 0, Skipped: 0/);
    assert.match(ok(launcher, ['check-bundle', jar], root), /OK: ready to deploy/);
    changes.clear();
    drop(ws, jar, 'kit-quotes.jar');
    await changes.next('list_changed after the embedded drop');
    const embedded = await client.callTool({ name: 'abbreviate', arguments: { text: 'Plugboard hosts plugins', width: 12 } });
    assert.equal(embedded.content[0].text, 'Plugboard...');
    changes.clear();
    rmSync(join(ws.deploy, 'kit-quotes.jar'));
    await changes.next('list_changed after removing the embedded build');

    // A bundle of its own: the plugin imports the library's packages, and the library's jar (an
    // OSGi bundle) is deployed beside it. The in-framework test would need that jar too.
    edit(pomFile, '-conditionalpackage: org.apache.commons.lang3.*', '#   -conditionalpackage: org.apache.commons.lang3.*');
    ok(mvnw, ['-B', '-q', 'clean', 'package', '-DskipTests'], project);
    const alone = run(launcher, ['check-bundle', jar], root);
    assert.equal(alone.status, 1, alone.output);
    assert.match(alone.output, /imports the package org\.apache\.commons\.lang3 at version 3\.17\.0/);
    const library = bundle('commons-lang3');
    assert.match(ok(launcher, ['check-bundle', jar, library], root), /OK: ready to deploy/);
    changes.clear();
    drop(ws, library, 'commons-lang3.jar');
    drop(ws, jar, 'kit-quotes.jar');
    await eventually('abbreviate from the separate-library build', async () => (await toolNames(client)).includes('abbreviate'))
      .catch((e) => { throw new Error(`${e.message}; the server's last log lines:\n${server.log.slice(-40).join('\n')}`); });
    const separate = await client.callTool({ name: 'abbreviate', arguments: { text: 'Plugboard hosts plugins' } });
    assert.equal(separate.content[0].text, 'Plugboa...');
    rmSync(join(ws.deploy, 'kit-quotes.jar'));
    rmSync(join(ws.deploy, 'commons-lang3.jar'));
    await eventually('abbreviate to be gone', async () => !(await toolNames(client)).includes('abbreviate'));
  });
});
