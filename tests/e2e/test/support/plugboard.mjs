// Starts the real distribution (bin/plugboard) in temporary folders and stops it again.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const distribution = process.env.PLUGBOARD_DIST;
export const fixtures = process.env.PLUGBOARD_FIXTURES;

if (!distribution || !existsSync(join(distribution, 'bin', 'plugboard'))) {
  throw new Error(`PLUGBOARD_DIST must point at the unpacked distribution (got ${distribution}); run through Maven`);
}
if (!fixtures || !existsSync(fixtures)) {
  throw new Error(`PLUGBOARD_FIXTURES must point at the fixture bundles (got ${fixtures}); run through Maven`);
}

export const launcher = join(distribution, 'bin', 'plugboard');

/** The jar of a fixture or first-party bundle, such as "fixture-hello-v1". */
export function bundle(name) {
  return join(fixtures, `${name}.jar`);
}

/** Fresh deploy and data folders, holding the given bundles. */
export function workspace(...bundles) {
  const root = mkdtempSync(join(tmpdir(), 'plugboard-e2e-'));
  const deploy = join(root, 'bundles');
  const data = join(root, 'data');
  const ws = {
    root,
    deploy,
    data,
    /** Copies a bundle into the deploy folder in one step (written aside, then renamed). */
    drop(name, file = `${name}.jar`) {
      const aside = join(root, `.${file}.part`);
      copyFileSync(bundle(name), aside);
      renameSync(aside, join(deploy, file));
    },
    /** Deletes a bundle from the deploy folder; one already gone is no error. */
    remove(file) {
      rmSync(join(deploy, file), { force: true });
    },
    dispose() {
      rmSync(root, { recursive: true, force: true });
    },
  };
  mkdirSync(deploy);
  for (const name of bundles) {
    copyFileSync(bundle(name), join(deploy, `${name}.jar`));
  }
  return ws;
}

/** Starts `plugboard serve` on a free port; resolves once it is ready. */
export async function serve(ws, extraArgs = []) {
  const child = spawn(launcher, ['serve', '--port', '0', '--bundles', ws.deploy, '--data', ws.data, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = [];
  const url = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stderr });
    const timer = setTimeout(() => {
      // the caller gets no handle to stop it: a server still starting must not outlive the test run
      child.kill('SIGKILL');
      reject(new Error(`plugboard did not start in time:\n${log.join('\n')}`));
    }, 60_000);
    lines.on('line', (line) => {
      log.push(line);
      const m = line.match(/MCP at (http:\/\/\S+\/mcp)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`plugboard exited with ${code} before it was ready:\n${log.join('\n')}`));
    });
  });
  return {
    url,
    log,
    async stop() {
      if (child.exitCode !== null) {
        return;
      }
      // 'close': the process has ended and its last log lines have been read
      const exited = new Promise((resolve) => child.on('close', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Waits until `condition` (sync or async) is true, polling every 50 ms; fails naming `what` after
 * `ms` milliseconds.
 */
export async function until(what, condition, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Writes `content` as JSON to `file` in the folder `config` in one step, as an editor's save does. */
export function writeConfigFile(config, file, content) {
  const aside = join(config, `.${file}.part`);
  writeFileSync(aside, JSON.stringify(content));
  renameSync(aside, join(config, file));
}
