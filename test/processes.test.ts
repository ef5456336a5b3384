// Processes stop when told, and nothing they started outlives them unnoticed: a dev server left
// behind by a killed start is found and stopped by the next one, a Ctrl-C stops `npm start` and
// its dev server, and `npm run worker` stops its node process on SIGTERM (what `docker stop` sends).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { alive, freePort, startDevServer, temporalCli } from '../infra/dev-server';
import { eventually } from './support/eventually';
import { dropDatabase } from '../db/connect';
import { freshDatabaseUrl, startTestStack, type TestStack } from './support/stack';

const ROOT = join(__dirname, '..');

/** Runs a command until `ready` matches its output; returns the child and what it printed. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp) {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const started = new Promise<string>((resolve, reject) => {
    const watch = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) resolve(output);
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    child.once('exit', (code) => reject(new Error(`${command} exited with ${code} before it was ready:\n${output}`)));
  });
  return { child, started, output: () => output };
}

describe('a dev server left running by a killed start', () => {
  it('is stopped by the next start, which never attaches to a server it did not launch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dev-server-'));
    const pidFile = join(dir, 'temporal-dev.pid');
    const port = await freePort();
    const script =
      `const { startDevServer, temporalCli } = require('./infra/dev-server');` +
      `startDevServer({ cli: temporalCli({ install: false }), port: ${port}, namespace: 'default', pidFile: ${JSON.stringify(pidFile)} })` +
      `.then((server) => console.log('ready ' + server.pid));`;
    const first = run(process.execPath, ['--import', 'tsx', '-e', script], process.env, /ready \d+/);
    const orphan = Number(/ready (\d+)/.exec(await first.started)![1]);
    first.child.kill('SIGKILL'); // what kill -9 of npm start does: the server lives on
    await new Promise((resolve) => first.child.once('exit', resolve));
    expect(alive(orphan)).toBe(true);
    expect(Number(readFileSync(pidFile, 'utf8'))).toBe(orphan);

    const lines: string[] = [];
    const next = await startDevServer({
      cli: temporalCli({ install: false }),
      port,
      namespace: 'default',
      pidFile,
      log: (line) => lines.push(line),
    });
    try {
      expect(lines.join('\n')).toMatch(new RegExp(`stopping the Temporal dev server \\(pid ${orphan}\\)`));
      expect(alive(orphan)).toBe(false);
      expect(next.pid).not.toBe(orphan);
      expect(Number(readFileSync(pidFile, 'utf8'))).toBe(next.pid);
      // A server on the port that no pid file names is someone else's: refused, not attached to.
      await expect(
        startDevServer({ cli: temporalCli({ install: false }), port, namespace: 'default' }),
      ).rejects.toThrow(/already in use/);
    } finally {
      await next.stop();
    }
  });
});

describe('npm start and Ctrl-C', () => {
  it('stops everything it started, though npm forwards the SIGINT node also got', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      WORKFLOW_BUNDLE: inject('workflowBundle'),
      NODE_ENV: 'development', // the development keys, as on a laptop (vitest sets 'test')
      DATABASE_URL: freshDatabaseUrl('npm_start'),
      TEMPORAL_DB_FILE: join(dir, 'temporal.sqlite'),
      TEMPORAL_DEV_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      PORT: String(await freePort()),
    };
    delete env.TEMPORAL_ADDRESS;
    delete env.TEMPORAL_METRICS_ADDRESS; // metrics by default: nothing to set
    // Its own process group, as a terminal's foreground job: the SIGINT goes to npm and node alike.
    const child = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    const collect = (chunk: Buffer) => (output += chunk.toString());
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await eventually(
        async () => output,
        (text) => /Ctrl-C stops everything/.test(text),
        'npm start ready',
        100_000,
      );
      const server = Number(readFileSync(join(dir, 'temporal-dev.pid'), 'utf8'));
      expect(alive(server)).toBe(true);
      // The in-process worker's SDK metrics are in /metrics with no setting, and its build is current.
      const metrics = await eventually(
        () => fetch(`http://127.0.0.1:${env.PORT}/metrics`).then((res) => res.text()),
        (text) => /temporal_worker_task_slots_available|temporal_request/.test(text),
        'SDK metrics in /metrics',
      );
      expect(metrics).toMatch(/agent_ops_cases/);
      expect(output).toMatch(/build \S+ of deployment 'agent-ops': (made current|already current)/);
      process.kill(-child.pid!, 'SIGINT');
      await exited;
      await eventually(
        async () => alive(server),
        (running) => !running,
        `dev server ${server} stopped`,
        20_000,
      );
      expect(output).toMatch(/\[agent-ops\] stopped/);
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
      await dropDatabase(env.DATABASE_URL!);
    }
  }, 150_000);
});

describe('npm run worker on SIGTERM', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startTestStack(__filename);
  });
  afterAll(() => s?.stop());

  it('stops its node process, not only npm', async () => {
    const env = {
      ...process.env,
      DATABASE_URL: s.config.databaseUrl,
      TEMPORAL_ADDRESS: s.deps.address,
      TEMPORAL_NAMESPACE: s.config.temporal.namespace,
      TASK_QUEUE: `${s.config.taskQueue}-npm`,
      WORKFLOW_BUNDLE: s.config.workflowBundle,
    };
    // Its JSON log line says it polls, with the node process's pid.
    const polling = /"pid":(\d+)[^\n]*"msg":"worker polling/;
    const worker = run('npm', ['run', '--silent', 'worker'], env, polling);
    const node = Number(polling.exec(await worker.started)![1]);
    expect(alive(node)).toBe(true);
    worker.child.kill('SIGTERM');
    await eventually(
      async () => alive(node),
      (running) => !running,
      `worker node process ${node} stopped`,
      20_000,
    );
  });
});
