// The command line of the real launcher (bin/plugboard): messages, exit codes, and what it prints.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { bundle, launcher, serve, workspace } from './support/plugboard.mjs';

/** Runs the launcher to its end; { status, stdout, stderr }. */
function plugboard(...args) {
  const r = spawnSync(launcher, args, { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const INCUBATOR = /incubator/i;

describe('bin/plugboard', () => {
  let root;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'plugboard-cli-'));
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  it('prints the version and nothing else', () => {
    for (const args of [['--version'], ['version']]) {
      const r = plugboard(...args);
      assert.equal(r.status, 0);
      assert.match(r.stdout, /^plugboard \S+\n$/);
      assert.equal(r.stderr, '', `no JVM warning: ${r.stderr}`);
    }
  });

  it('has help for every command, on standard output, without warnings', () => {
    for (const command of ['', 'serve', 'stdio', 'search-eval', 'new-plugin', 'check-bundle', 'modules', 'config']) {
      const r = plugboard(...(command ? [command] : []), '--help');
      assert.equal(r.status, 0, command);
      assert.match(r.stdout, new RegExp(`Usage: plugboard${command ? ` ${command}` : ''}`));
      assert.equal(r.stderr, '', command);
    }
  });

  it('writes a new class-data archive once the jars change, and deletes the stale one', () => {
    // A home of its own: the launcher, and the distribution's jars linked into lib/.
    const lib = join(dirname(dirname(launcher)), 'lib');
    const home = join(root, 'cds-home');
    mkdirSync(join(home, 'bin'), { recursive: true });
    mkdirSync(join(home, 'lib'));
    copyFileSync(launcher, join(home, 'bin', 'plugboard'));
    chmodSync(join(home, 'bin', 'plugboard'), 0o755);
    const jars = readdirSync(lib).filter((f) => f.endsWith('.jar'));
    for (const jar of jars) {
      symlinkSync(join(lib, jar), join(home, 'lib', jar));
    }
    const archives = () => readdirSync(join(home, 'data', 'cds')).filter((f) => f.endsWith('.jsa'));
    const run = () => {
      const r = spawnSync(join(home, 'bin', 'plugboard'), ['search-eval', '--help'], { encoding: 'utf8', timeout: 120_000 });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr, '', 'no warning about the archive');
    };
    run();
    const first = archives();
    assert.equal(first.length, 1, first.join());
    assert.match(first[0], /^search-eval-java\d+-\d+\.jsa$/);

    // A rebuilt lib/: the smallest jar replaced by a copy, same name, same size, a new time.
    const smallest = jars.sort((a, b) => statSync(join(lib, a)).size - statSync(join(lib, b)).size)[0];
    unlinkSync(join(home, 'lib', smallest));
    copyFileSync(join(lib, smallest), join(home, 'lib', smallest));
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(home, 'lib', smallest), later, later);
    run();
    const second = archives();
    assert.equal(second.length, 1, second.join());
    assert.notEqual(second[0], first[0]);
    run();
    assert.deepEqual(archives(), second, 'an archive that matches the jars is kept');
  });

  it('starts serve from the archive the distribution ships, until the jars change', () => {
    // The build's training run wrote it: cds/serve-java<N>-<fingerprint>.jsa.
    const distributionHome = dirname(dirname(launcher));
    const shippedArchives = readdirSync(join(distributionHome, 'cds')).filter((f) => /^serve-java\d+-\d+\.jsa$/.test(f));
    assert.equal(shippedArchives.length, 1, shippedArchives.join());
    const lib = join(distributionHome, 'lib');
    const home = join(root, 'shipped-cds-home');
    mkdirSync(join(home, 'bin'), { recursive: true });
    mkdirSync(join(home, 'lib'));
    mkdirSync(join(home, 'cds'));
    copyFileSync(launcher, join(home, 'bin', 'plugboard'));
    chmodSync(join(home, 'bin', 'plugboard'), 0o755);
    copyFileSync(join(distributionHome, 'cds', shippedArchives[0]), join(home, 'cds', shippedArchives[0]));
    const jars = readdirSync(lib).filter((f) => f.endsWith('.jar'));
    for (const jar of jars) {
      symlinkSync(join(lib, jar), join(home, 'lib', jar));
    }
    const written = () => {
      try {
        return readdirSync(join(home, 'data', 'cds')).filter((f) => f.endsWith('.jsa'));
      } catch {
        return [];
      }
    };
    const run = (opts) => {
      const r = spawnSync(join(home, 'bin', 'plugboard'), ['serve', '--help'],
        { encoding: 'utf8', timeout: 120_000, env: { ...process.env, PLUGBOARD_OPTS: opts } });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /Usage: plugboard serve/);
      assert.equal(r.stderr, '', 'no warning about the archive');
    };

    // -Xshare:on: the JVM refuses to start unless it maps the archive it was given.
    run('-Xshare:on');
    assert.deepEqual(written(), [], 'the shipped archive is used as it is, and none is written');

    // A rebuilt lib/: the shipped archive no longer matches, and the run writes one of its own.
    const smallest = jars.sort((a, b) => statSync(join(lib, a)).size - statSync(join(lib, b)).size)[0];
    unlinkSync(join(home, 'lib', smallest));
    copyFileSync(join(lib, smallest), join(home, 'lib', smallest));
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(home, 'lib', smallest), later, later);
    run('');
    assert.equal(written().length, 1, written().join());
    assert.notEqual(written()[0], shippedArchives[0]);
    run('-Xshare:on');
  });

  it('ships the scans of its bundles, so that a first start scans only the bundles added since', async () => {
    const shipped = join(dirname(dirname(launcher)), 'bundles');
    const ws = workspace('fixture-hello-v1');
    const jars = readdirSync(shipped).filter((f) => f.endsWith('.jar'));
    assert.ok(jars.length >= 4, jars.join());
    for (const jar of jars) {
      copyFileSync(join(shipped, jar), join(ws.deploy, jar));
    }
    try {
      const server = await serve(ws);
      await server.stop();
      for (const jar of jars) {
        assert.ok(server.log.some((l) => l.includes(`from ${jar}`)), `${jar} deployed:\n${server.log.join('\n')}`);
      }
      // Only the fixture, which the distribution does not ship, was scanned and recorded.
      const records = readdirSync(join(ws.data, 'scans')).filter((f) => f.endsWith('.json'));
      assert.equal(records.length, 1, records.join());
    } finally {
      ws.dispose();
    }
  });

  it('starts without an archive when none can be written', () => {
    const lib = join(dirname(dirname(launcher)), 'lib');
    const home = join(root, 'unwritable-cds-home');
    mkdirSync(join(home, 'bin'), { recursive: true });
    mkdirSync(join(home, 'lib'));
    copyFileSync(launcher, join(home, 'bin', 'plugboard'));
    chmodSync(join(home, 'bin', 'plugboard'), 0o755);
    for (const jar of readdirSync(lib).filter((f) => f.endsWith('.jar'))) {
      symlinkSync(join(lib, jar), join(home, 'lib', jar));
    }
    // data is a file, so data/cds cannot be created (whatever the user's permissions).
    writeFileSync(join(home, 'data'), 'not a folder\n');
    const r = spawnSync(join(home, 'bin', 'plugboard'), ['search-eval', '--help'], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Usage: plugboard search-eval/);
    assert.equal(r.stderr, '', 'no warning about the archive');
  });

  it('prints a bash completion script', () => {
    const r = plugboard('completion');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /complete -F/);
    const check = spawnSync('bash', ['-n'], { input: r.stdout, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
  });

  it('names an unknown option and a stray word in one line, exit code 2', () => {
    const flag = plugboard('serve', '--bogus');
    assert.equal(flag.status, 2);
    assert.equal(flag.stderr, "plugboard serve: unknown option '--bogus' (see plugboard serve --help)\n");
    const word = plugboard('serve', 'word');
    assert.equal(word.status, 2);
    assert.equal(word.stderr,
      "plugboard serve: unexpected argument 'word' (plugboard serve takes options only) (see plugboard serve --help)\n");
    const command = plugboard('launch');
    assert.equal(command.status, 2);
    assert.match(command.stderr, /^plugboard: unknown command 'launch'/);
  });

  it('refuses a deploy folder or config folder that does not exist', () => {
    const bundles = plugboard('serve', '--port', '0', '--bundles', '/nonexistent/bundles');
    assert.equal(bundles.status, 2);
    assert.match(bundles.stderr, /^plugboard serve: the deploy folder \/nonexistent\/bundles does not exist; create it first/);
    assert.equal(bundles.stderr.split('\n').length, 2, 'one line');
    const config = plugboard('serve', '--port', '0', '--config', '/nonexistent/config');
    assert.equal(config.status, 2);
    assert.match(config.stderr, /^plugboard serve: the config folder \/nonexistent\/config does not exist/);
  });

  it('names the key, the file and the allowed values of a bad log level', () => {
    const config = join(root, 'config');
    mkdirSync(config, { recursive: true });
    writeFileSync(join(config, 'plugboard.properties'), 'log.level=LOUD\n');
    const r = plugboard('serve', '--port', '0', '--config', config);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, "plugboard serve: setting 'log.level' must be one of OFF, SEVERE, WARNING, INFO, CONFIG, FINE, "
      + `FINER, FINEST, ALL, not 'LOUD' (from ${join(config, 'plugboard.properties')})\n`);
  });

  it('names the address of a taken port before starting anything', async () => {
    const taken = createServer();
    await new Promise((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address();
    try {
      const ws = workspace();
      try {
        const r = spawnSync(launcher, ['serve', '--port', String(port), '--bundles', ws.deploy, '--data', ws.data],
          { encoding: 'utf8', timeout: 120_000 });
        assert.equal(r.status, 1);
        // one line: the framework, the bundles and the HTTP server were not started first
        assert.equal(r.stderr, `plugboard serve: cannot listen on 127.0.0.1:${port}: the address is already in use `
          + '(another program, or another Plugboard, listens there; stop it or choose another port with --port)\n');
      } finally {
        ws.dispose();
      }
    } finally {
      taken.close();
    }
  });

  it('serves without the incubator warning and logs its shutdown', async () => {
    const ws = workspace('plugboard-essentials');
    try {
      const server = await serve(ws);
      await server.stop();
      assert.ok(server.log.some((l) => /Plugboard stopped in \d+ ms/.test(l)), server.log.join('\n'));
      assert.ok(!server.log.some((l) => INCUBATOR.test(l)), server.log.join('\n'));
      assert.ok(server.log.some((l) => /Stopping Plugboard/.test(l)));
    } finally {
      ws.dispose();
    }
  });

  it('stdio ends when its input closes, logs its shutdown, and keeps warnings off both streams', async () => {
    const ws = workspace();
    try {
      const child = spawn(launcher, ['stdio', '--bundles', ws.deploy, '--data', ws.data], { stdio: ['pipe', 'pipe', 'pipe'] });
      const stderr = [];
      let stdout = '';
      createInterface({ input: child.stderr }).on('line', (l) => stderr.push(l));
      child.stdout.on('data', (c) => (stdout += c));
      const closed = new Promise((resolve) => child.on('close', (code) => resolve(code)));
      child.stdin.end();
      assert.equal(await closed, 0);
      assert.equal(stdout, '');
      assert.ok(stderr.some((l) => /Plugboard stopped in \d+ ms/.test(l)), stderr.join('\n'));
      assert.ok(!stderr.some((l) => INCUBATOR.test(l)), stderr.join('\n'));
    } finally {
      ws.dispose();
    }
  });
});


describe('plugboard modules and config against a running server', () => {
  let ws;
  let server;
  let base;
  let config;
  const hello = 'dev.plugboard.fixtures.hello';

  /** Runs an admin command against the server, with the key from the server's data folder. */
  const admin = (...args) => {
    const r = spawnSync(launcher, [...args, '--url', base, '--data', ws.data], { encoding: 'utf8', timeout: 120_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  before(async () => {
    ws = workspace('plugboard-essentials');
    config = join(ws.root, 'config');
    mkdirSync(config);
    server = await serve(ws, ['--config', config]);
    base = server.url.replace(/\/mcp$/, '');
  });

  after(async () => {
    await server?.stop();
    ws?.dispose();
  });

  it('lists the modules with their state', () => {
    const r = admin('modules', 'list');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^NAME +VERSION +STATE/);
    assert.match(r.stdout, /\ndev\.plugboard\.essentials +0\.1\.0\S* +ACTIVE/);
    const json = JSON.parse(admin('modules', 'list', '--json').stdout);
    assert.ok(json.modules.some((m) => m.name === 'dev.plugboard.essentials' && m.provides.tools.includes('calculate')));
  });

  it('installs, stops, starts, updates and removes a module', () => {
    const installed = admin('modules', 'install', bundle('fixture-hello-v1'));
    assert.equal(installed.status, 0, installed.stderr);
    assert.equal(installed.stdout, `installed ${hello} 1.0.0 (ACTIVE)\n`);
    assert.ok(JSON.parse(admin('modules', 'show', hello).stdout).provides.tools.includes('hello'));

    assert.equal(admin('modules', 'stop', hello).stdout, `stopped ${hello} 1.0.0 (RESOLVED)\n`);
    assert.deepEqual(JSON.parse(admin('modules', 'show', hello).stdout).provides.tools, []);
    assert.equal(admin('modules', 'start', hello).stdout, `started ${hello} 1.0.0 (ACTIVE)\n`);

    const updated = admin('modules', 'update', hello, bundle('fixture-hello-v2'));
    assert.equal(updated.status, 0, updated.stderr);
    assert.match(updated.stdout, new RegExp(`^updated ${hello.replaceAll('.', '\\.')} 2\\.0\\.0 \\(ACTIVE\\)\\n$`));
    assert.ok(JSON.parse(admin('modules', 'show', hello).stdout).provides.tools.includes('goodbye'));

    assert.equal(admin('modules', 'remove', hello).stdout, `removed ${hello}\n`);
    const gone = admin('modules', 'show', hello);
    assert.equal(gone.status, 1);
    assert.equal(gone.stderr, `plugboard modules: Not found: no module is named '${hello}'\n`);
  });

  it('prints a refused upload as the problem title and detail', () => {
    const junk = join(ws.root, 'junk.jar');
    writeFileSync(junk, 'this is not a jar');
    const r = admin('modules', 'install', junk);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^plugboard modules: [^:\n]+: .+\n$/);
    assert.ok(!/Exception|at dev\./.test(r.stderr), r.stderr);
    assert.doesNotMatch(admin('modules', 'list').stdout, /junk/);
  });

  it('refuses a wrong admin key', () => {
    const key = join(ws.root, 'wrong.key');
    writeFileSync(key, 'not-the-key\n');
    const r = spawnSync(launcher, ['modules', 'list', '--url', base, '--key-file', key], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^plugboard modules: .*--key-file\)\n$/);
  });

  it('reads and changes a plugin configuration', () => {
    const set = admin('config', 'set', 'org.acme.weather', 'units=metric', 'timeout=5');
    assert.equal(set.status, 0, set.stderr);
    assert.equal(admin('config', 'set', 'org.acme.weather', 'units=imperial').status, 0);
    const get = admin('config', 'get', 'org.acme.weather');
    assert.equal(get.status, 0, get.stderr);
    assert.deepEqual(get.stdout.trim().split('\n').sort(), ['timeout=5', 'units=imperial']);
  });
});
