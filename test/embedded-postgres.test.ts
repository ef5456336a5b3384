// `npm start` without PostgreSQL installed: an embedded one (PGlite behind its socket server) with
// the same migrations, cases decided through it, mode changes reaching the worker by polling, and
// its data kept across restarts. Runs the real stack against the shared Temporal dev server.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { loadConfig, type Config } from '../config';
import { withEmbeddedPostgresIfNeeded, type EmbeddedPostgres } from '../infra/embedded-postgres';
import { freePort } from '../infra/dev-server';
import { startStack, type Stack } from '../infra/stack';
import { eventually } from './support/eventually';
import { KEYS } from './support/stack';
import { ticket } from './support/tickets';

const dir = mkdtempSync(join(tmpdir(), 'pglite-'));
const namespace = 'embedded-postgres';
// One task queue for both starts: the governor of the first run is the one the second one finds.
const taskQueue = `tq-embedded-${randomBytes(3).toString('hex')}`;
const running: { stack: Stack; embedded: EmbeddedPostgres }[] = [];
afterAll(async () => {
  for (const { stack, embedded } of running) {
    await stack.stop().catch(() => undefined);
    await embedded.stop().catch(() => undefined);
  }
});

function configFor(env: Record<string, string>): Config {
  return loadConfig({
    TEMPORAL_NAMESPACE: namespace,
    TASK_QUEUE: taskQueue,
    PORT: '0',
    API_KEYS: `svc-intake=${KEYS.service}:service,olga=${KEYS.ops}:ops,audra=${KEYS.auditor}:auditor`,
    WORKFLOW_BUNDLE: inject('workflowBundle'),
    AUDIT_RATE: '0',
    EARLY_WARNINGS: 'false',
    PGLITE_DIR: dir,
    ...env,
  });
}

async function start(): Promise<{ stack: Stack; embedded: EmbeddedPostgres; url: string }> {
  const lines: string[] = [];
  const { config, embedded } = await withEmbeddedPostgresIfNeeded(configFor({ EMBEDDED_POSTGRES: 'always' }), (line) =>
    lines.push(line),
  );
  expect(lines.join('\n')).toMatch(/embedded PostgreSQL \(PGlite\) on 127\.0\.0\.1:\d+, data in /);
  const stack = await startStack({ config, address: inject('temporalAddress'), api: { keys: config.apiKeys! } });
  running.push({ stack, embedded: embedded! });
  return { stack, embedded: embedded!, url: stack.api!.url };
}

async function http(
  url: string,
  method: string,
  path: string,
  key: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json() };
}

describe('the embedded PostgreSQL', () => {
  it('is chosen only when DATABASE_URL is unset and nothing answers on its address', async () => {
    const port = await freePort();
    const quiet = configFor({});
    const unset = {
      ...quiet,
      databaseUrl: `postgres://postgres@127.0.0.1:${port}/agent_ops`,
      databaseUrlExplicit: false,
    };
    expect(
      (await withEmbeddedPostgresIfNeeded({ ...unset, databaseUrlExplicit: true }, () => undefined)).embedded,
    ).toBeNull();
    expect(
      (await withEmbeddedPostgresIfNeeded({ ...unset, embeddedPostgres: { mode: 'never', dir } }, () => undefined))
        .embedded,
    ).toBeNull();
    // The local PostgreSQL answers on the default address: it is used.
    expect((await withEmbeddedPostgresIfNeeded(configFor({}), () => undefined)).embedded).toBeNull();
  });

  it('decides cases with the same migrations, hears mode changes by polling, and keeps its data across restarts', async () => {
    const first = await start();
    const body = ticket('auto');
    const started = await http(first.url, 'POST', '/v1/tickets', KEYS.service, body);
    expect(started.status).toBe(202);
    await first.stack.deps.client.workflow.getHandle(started.body.caseId).result();
    const decided = await http(first.url, 'GET', `/v1/cases/${started.body.caseId}`, KEYS.auditor);
    expect(decided.body).toMatchObject({ status: 'decided', route: 'auto' });

    expect(
      (await http(first.url, 'POST', '/v1/governor/mode', KEYS.ops, { mode: 'reduced', reason: 'embedded' })).status,
    ).toBe(200);
    await eventually(
      async () => first.stack.deps.modes.mode.mode,
      (mode) => mode === 'reduced',
      'the worker heard the mode',
    );

    await first.stack.stop();
    await first.embedded.stop();
    running.length = 0;

    const second = await start();
    const again = await http(second.url, 'GET', `/v1/cases/${started.body.caseId}`, KEYS.auditor);
    expect(again.body).toMatchObject({ status: 'decided', category: decided.body.category });
    expect(second.stack.deps.modes.mode.mode).toBe('reduced');
    const repeat = await http(second.url, 'POST', '/v1/tickets', KEYS.service, body);
    expect(repeat).toMatchObject({ status: 200, body: { caseId: started.body.caseId } });
    await http(second.url, 'POST', '/v1/governor/mode', KEYS.ops, { mode: 'normal', reason: 'embedded' });
  });
});
