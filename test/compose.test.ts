// No Docker engine runs here, so docker-compose.yml is proven the other way round: the worker's and
// the API's commands run on this host with the environment the compose file gives them (service
// host names pointed at this machine's servers), and a ticket goes through. A compose file whose
// environment the code does not accept, or whose commands do not start, fails here.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../config';
import { dropDatabase, withDatabase } from '../db/connect';
import { freePort } from '../infra/dev-server';
import { eventually } from './support/eventually';
import { TEXTS } from './support/texts';

const ROOT = join(__dirname, '..');
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { command: string[]; environment: Record<string, string | number> }>;
};
const SERVICE_KEY = `svc-compose=${'c'.repeat(32)}`;
const REVIEW_KEY = `rita=${'r'.repeat(32)}`;

/** Compose's variable substitution: ${VAR:-default} and ${VAR:?error}, from the given variables. */
function substitute(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_all, name: string, kind?: string, rest?: string) => {
    if (vars[name] !== undefined) return vars[name];
    if (kind === '-') return rest ?? '';
    throw new Error(`compose needs ${name}: ${rest}`);
  });
}

const children: ChildProcess[] = [];
const databaseUrl = withDatabase(loadConfig().databaseUrl, `agent_ops_compose_${randomBytes(3).toString('hex')}`);

afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(
    children.map(
      (child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve))),
    ),
  );
  await dropDatabase(databaseUrl);
});

function hostEnvironment(service: string, port: number): NodeJS.ProcessEnv {
  const vars = { API_KEYS: `${SERVICE_KEY}:service,${REVIEW_KEY}:reviewer` };
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(compose.services[service].environment)) {
    env[name] = substitute(String(value), vars);
  }
  // The compose network's names, pointed at the servers of this machine.
  const url = new URL(env.DATABASE_URL);
  expect(url.host).toBe('postgres:5432');
  expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
  return {
    PATH: process.env.PATH,
    ...env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: 'compose-stack',
    TASK_QUEUE: `compose-${randomBytes(3).toString('hex')}`,
    ...(service === 'api' ? { PORT: String(port), HOST: '127.0.0.1' } : {}),
  };
}

function start(service: string, env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const [command, ...args] = compose.services[service].command;
  // Production runs the compiled build (`npm run build`, which `npm test` runs first): no tsx.
  expect(command).toBe('node');
  expect(args.join(' ')).not.toMatch(/tsx/);
  expect(existsSync(join(ROOT, args[0])), `${args[0]} is built`).toBe(true);
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk) => (output += chunk.toString()));
  return { child, output: () => output };
}

describe('the compose file’s worker and API, run on the host with its environment', () => {
  it('start in production mode, become ready, decide a ticket, and stop on SIGTERM', async () => {
    const port = await freePort();
    const workerEnv = hostEnvironment('worker', port);
    const apiEnv = hostEnvironment('api', port);
    apiEnv.TASK_QUEUE = workerEnv.TASK_QUEUE;
    expect(workerEnv.NODE_ENV).toBe('production');
    // The compose file's health and metrics addresses listen on every interface of the container;
    // on this host, free loopback ports.
    expect(workerEnv.WORKER_HEALTH_ADDRESS).toMatch(/^0\.0\.0\.0:\d+$/);
    expect(workerEnv.TEMPORAL_METRICS_ADDRESS).toMatch(/^0\.0\.0\.0:\d+$/);
    workerEnv.WORKER_HEALTH_ADDRESS = `127.0.0.1:${await freePort()}`;
    workerEnv.TEMPORAL_METRICS_ADDRESS = `127.0.0.1:${await freePort()}`;
    const worker = start('worker', workerEnv);
    await eventually(
      async () => worker.output(),
      (out) => /"msg":"worker polling/.test(out),
      'worker started',
      60_000,
    );
    const api = start('api', apiEnv);
    const url = `http://127.0.0.1:${port}`;
    await eventually(
      () =>
        fetch(`${url}/readyz`).then(
          (res) => res.status,
          () => 0,
        ),
      (status) => status === 200,
      `API ready (output: ${api.output()})`,
      60_000,
    );
    const headers = { authorization: `Bearer ${'c'.repeat(32)}`, 'content-type': 'application/json' };
    const res = await fetch(`${url}/v1/tickets`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ externalId: 'compose-1', ...TEXTS.auto }),
    });
    expect(res.status).toBe(202);
    const decided = await eventually(
      () =>
        fetch(`${url}/v1/cases/ticket-compose-1`, { headers }).then(
          (answer) => answer.json() as Promise<{ status?: string }>,
        ),
      (view: { status?: string }) => view.status === 'decided',
      'ticket decided',
    );
    expect(decided).toMatchObject({ route: 'auto', decision: { outcome: 'auto_decided' } });

    // The worker's health for its orchestrator, on the address the compose file gives it.
    const health = await fetch(`http://127.0.0.1:${workerEnv.WORKER_HEALTH_ADDRESS!.split(':')[1]}/readyz`);
    expect(health.status).toBe(200);

    for (const { child } of [api, worker]) {
      child.kill('SIGTERM');
      const code = await new Promise((resolve) =>
        child.once('exit', (exitCode, signal) => resolve(exitCode ?? signal)),
      );
      expect(code).toBe(0);
    }
  });
});
