// Liveness and readiness: ready only when both Temporal and PostgreSQL answer.
import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { Knex } from 'knex';

const PROBE_TIMEOUT_MS = 2000;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}

/** A probe's answer says only whether it passed: backend error text is for the log, not for anonymous callers. */
async function probe(name: string, check: () => Promise<unknown>): Promise<{ ok: boolean }> {
  try {
    await within(check(), PROBE_TIMEOUT_MS);
    return { ok: true };
  } catch (err) {
    console.warn(`[readyz] ${name} check failed: ${(err as Error).message}`);
    return { ok: false };
  }
}

export function healthRoutes(client: Client, db: Knex): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [temporal, postgres] = await Promise.all([
      probe('temporal', () => client.workflowService.getSystemInfo({})),
      probe('postgres', () => db.raw('SELECT 1')),
    ]);
    const ready = temporal.ok && postgres.ok;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: { temporal, postgres } });
  });
  return router;
}
