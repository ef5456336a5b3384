// `npm run bench -- --broadcast 100,1000`: how long a mode change takes to reach every running
// case. Opens assisted tickets (they wait for a reviewer), then has ops move the mode to
// shutdown and times (1) the governor's update, which answers once the change is persisted and
// every undecided case has been signalled, and (2) until every case has applied the mode and
// recorded its new route in PostgreSQL. Beside it, the floor: as many workflows that only wait for
// one signal, signalled the same way, until all have heard it. On the dev server as `npm start`
// runs it (a SQLite file, WAL). Sizes are cumulative: the cases of one size stay open for the next.
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../config';
import { dropDatabase } from '../db/connect';
import { BROADCAST_CONCURRENCY } from '../activities/mode';
import { forEachBounded } from '../activities/bounded';
import { startStack } from '../infra/stack';
import { wakeSignal } from './workflows/floor';
import { BENCH_KEY, fileServerEnvironment, quietRuntime, startFloorWorker } from './setup';

const OPEN_CONCURRENCY = 32;

export async function benchBroadcast(sizes: number[]) {
  quietRuntime();
  const key = BENCH_KEY;
  // What `npm start` runs: the dev server on a SQLite file (WAL).
  const config = loadConfig({
    ...(await fileServerEnvironment()),
    PORT: '0',
    API_KEYS: `svc-bench=${key}:service+auditor,olga=${key}-ops:ops`,
    BUDGET_STEERING: 'false',
    RATE_LIMIT: '0',
  });
  const databaseUrl = config.databaseUrl;
  const stack = await startStack({ config, devServer: 'configured', api: { keys: config.apiKeys! } });
  const { db } = stack.deps;
  const url = stack.api!.url;
  const post = (path: string, body: unknown, bearer = key) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const count = async (where: Record<string, string>) =>
    Number((await db('cases').where(where).count({ n: '*' }).first())?.n ?? 0);
  /** Polls PostgreSQL until `done`; returns the milliseconds since `from`. */
  const until = async (done: () => Promise<boolean>, from: number, what: string) => {
    const deadline = Date.now() + 10 * 60_000;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return performance.now() - from;
  };

  // The floor: as many workflows that only wait for a signal, on the same server, signalled as
  // many at a time as the broadcast signals cases.
  const floor = await startFloorWorker(config, stack.deps.address);
  const floorQueue = floor.taskQueue;
  const { client } = stack.deps;
  const signalFloor = async (size: number) => {
    const ids = Array.from({ length: size }, (_, i) => `floor-${size}-${i}`);
    await forEachBounded(ids, OPEN_CONCURRENCY, (workflowId) =>
      client.workflow.start('waitForSignal', { workflowId, taskQueue: floorQueue, args: [] }).then(() => undefined),
    );
    const startedAt = performance.now();
    await forEachBounded(ids, BROADCAST_CONCURRENCY, (workflowId) =>
      client.workflow.getHandle(workflowId).signal(wakeSignal),
    );
    const sentMs = performance.now() - startedAt;
    await forEachBounded(ids, OPEN_CONCURRENCY, (workflowId) => client.workflow.getHandle(workflowId).result());
    return { sentMs, handledMs: performance.now() - startedAt };
  };

  const rows: Record<string, number>[] = [];
  let opened = 0;
  try {
    for (const size of sizes) {
      const floor = await signalFloor(size);
      const openedAt = performance.now();
      let next = opened;
      await Promise.all(
        Array.from({ length: OPEN_CONCURRENCY }, async () => {
          while (next < size) {
            const index = next++;
            const res = await post('/v1/tickets', {
              externalId: `bcast-${index}`,
              subject: 'Help',
              body: 'The exchange rate seems wrong',
            });
            if (res.status !== 202) throw new Error(`opening a ticket: HTTP ${res.status}`);
          }
        }),
      );
      opened = size;
      process.stderr.write(`[bench] ${size} cases opened; waiting until all wait for a reviewer\n`);
      await until(async () => (await count({ mode: 'normal', route: 'assisted' })) >= size, openedAt, 'cases routed');

      const changedAt = performance.now();
      const res = await post('/v1/governor/mode', { mode: 'shutdown', reason: `bench ${size}` }, `${key}-ops`);
      if (res.status !== 200) throw new Error(`mode change: HTTP ${res.status} ${await res.text()}`);
      const signalledMs = performance.now() - changedAt;
      const appliedMs = await until(
        async () => (await count({ mode: 'shutdown' })) >= size,
        changedAt,
        'every case applied the mode',
      );
      rows.push({
        runningCases: size,
        updateAnsweredMs: Math.round(signalledMs),
        allAppliedMs: Math.round(appliedMs),
        floorSignalsSentMs: Math.round(floor.sentMs),
        floorAllHandledMs: Math.round(floor.handledMs),
      });
      process.stderr.write(`[bench] ${size} cases: ${JSON.stringify(rows.at(-1))}\n`);
      if (size === sizes.at(-1)) break;
      // Back to normal for the next size; the cases stay with people (kept for review).
      const back = await post('/v1/governor/mode', { mode: 'human_routing', reason: 'bench reset' }, `${key}-ops`);
      const normal = await post('/v1/governor/mode', { mode: 'normal', reason: 'bench reset' }, `${key}-ops`);
      if (back.status !== 200 || normal.status !== 200) throw new Error('resetting the mode failed');
      await until(async () => (await count({ mode: 'normal' })) >= size, performance.now(), 'cases back in normal');
    }
  } finally {
    await floor.stop();
    await stack.stop();
    await dropDatabase(databaseUrl);
  }
  return rows;
}
