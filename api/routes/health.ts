// Liveness and readiness: ready only when Temporal and PostgreSQL answer and a worker polls the
// task queue (without one, cases start but nothing runs them).
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
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

/**
 * A worker polls the task queue: its last poll is recent. An idle worker re-polls at least every
 * minute (the server's long-poll expiry), so a worker gone for longer than this counts as gone.
 */
export const WORKER_POLL_FRESH_MS = 90_000;

async function workerPolling(client: Client, taskQueue: string): Promise<void> {
  const { pollers } = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
  });
  const newest = Math.max(0, ...(pollers ?? []).map((poller) => Number(poller.lastAccessTime?.seconds ?? 0) * 1000));
  if (Date.now() - newest > WORKER_POLL_FRESH_MS) throw new Error(`no worker has polled '${taskQueue}' recently`);
}

export function healthRoutes(client: Client, db: Knex, taskQueue: string): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [temporalCheck, postgres, worker] = await Promise.all([
      probe('temporal', () => client.workflowService.getSystemInfo({})),
      probe('postgres', () => db.raw('SELECT 1')),
      probe('worker', () => workerPolling(client, taskQueue)),
    ]);
    const ready = temporalCheck.ok && postgres.ok && worker.ok;
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not_ready', checks: { temporal: temporalCheck, postgres, worker } });
  });
  return router;
}
