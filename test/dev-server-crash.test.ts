// The dev server `npm start` runs keeps its SQLite file in WAL mode with synchronous=normal (twice
// the write rate of the default journal). That must stay lossless when a process dies: here the
// server is killed with SIGKILL while tickets arrive, started again on the same file, and every
// ticket the API accepted (202) is still there and decided once. Requests during the outage get
// 503, never 500.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../config';
import { dropDatabase } from '../db/connect';
import { freePort, startDevServer, temporalCli, type DevServer } from '../infra/dev-server';
import { startStack, type Stack } from '../infra/stack';
import { freshDatabaseUrl, KEYS } from './support/stack';
import { ticket } from './support/tickets';

const dir = mkdtempSync(join(tmpdir(), 'temporal-crash-'));
const dbFile = join(dir, 'temporal.sqlite');
const databaseUrl = freshDatabaseUrl('dev_server_crash');
let server: DevServer | null = null;
let stack: Stack | null = null;
afterAll(async () => {
  await stack?.stop().catch(() => undefined);
  await server?.stop().catch(() => undefined);
  await dropDatabase(databaseUrl);
});

describe('the dev server killed with SIGKILL while tickets arrive', () => {
  it('loses no accepted ticket: each is there after the restart and decided once', { timeout: 120_000 }, async () => {
    const cli = temporalCli({ install: false });
    const port = await freePort();
    server = await startDevServer({ cli, port, dbFile, namespace: 'default' });
    const config = loadConfig({
      DATABASE_URL: databaseUrl,
      TASK_QUEUE: `tq-crash-${randomBytes(3).toString('hex')}`,
      PORT: '0',
      API_KEYS: `svc-intake=${KEYS.service}:service`,
      WORKFLOW_BUNDLE: inject('workflowBundle'),
      AUDIT_RATE: '0',
      EARLY_WARNINGS: 'false',
    });
    stack = await startStack({ config, address: server.address, api: { keys: config.apiKeys! } });
    expect(existsSync(`${dbFile}-wal`)).toBe(true); // the pragma took: SQLite writes a log beside the file

    const post = async () => {
      const res = await fetch(`${stack!.api!.url}/v1/tickets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEYS.service}`, 'content-type': 'application/json' },
        body: JSON.stringify(ticket('auto')),
      }).catch(() => null);
      return res ? { status: res.status, body: (await res.json()) as { caseId?: string } } : { status: 0, body: {} };
    };
    const accepted: string[] = [];
    const statuses: number[] = [];
    let answered = 0;
    const killed = new Promise<void>((resolve) => {
      const wave = Array.from({ length: 40 }, async () => {
        const res = await post();
        statuses.push(res.status);
        if (res.status === 202 && res.body.caseId) accepted.push(res.body.caseId);
        if (++answered === 10) {
          process.kill(server!.pid, 'SIGKILL');
          resolve();
        }
      });
      void Promise.all(wave);
    });
    await killed;
    // While it is down: the API says so.
    const during = await post();
    expect([503, 202]).toContain(during.status);
    if (during.status === 202 && during.body.caseId) accepted.push(during.body.caseId);

    server = await startDevServer({ cli, port, dbFile, namespace: 'default' });
    // Stragglers of the first wave answer now too.
    const deadline = Date.now() + 30_000;
    while (answered < 40 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(statuses.every((status) => status === 202 || status === 503 || status === 0)).toBe(true);
    expect(accepted.length).toBeGreaterThanOrEqual(10);

    for (const caseId of accepted) {
      const decision = await stack.deps.client.workflow.getHandle(caseId).result();
      expect(decision, caseId).toMatchObject({ outcome: 'auto_decided' });
    }
    const decided = await stack.deps.db('decisions').whereIn('case_id', accepted);
    expect(decided).toHaveLength(accepted.length);
    const tally = (status: number) => statuses.filter((seen) => seen === status).length;
    console.log(
      `[dev-server-crash] ${accepted.length} tickets accepted and all decided after the restart; ` +
        `${tally(503)} answered 503 while the server was down, ${tally(0)} lost their connection`,
    );
  });
});
