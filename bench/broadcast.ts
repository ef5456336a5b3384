// `npm run bench -- --broadcast 100,1000`: how long a mode change takes to reach every running
// case. Opens assisted tickets (they wait for a reviewer), then has ops move the mode to
// shutdown and times (1) the governor's update, which answers once the change is persisted and
// every undecided case has been signalled, and (2) until every case has applied the mode and
// recorded its new route in PostgreSQL. Sizes are cumulative: the cases of one size stay open
// for the next.
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../config';
import { dropDatabase } from '../db/connect';
import { startStack } from '../infra/stack';
import { BENCH_KEY, benchDatabaseUrl, quietRuntime } from './setup';

const OPEN_CONCURRENCY = 32;

export async function benchBroadcast(sizes: number[]) {
  quietRuntime();
  const databaseUrl = benchDatabaseUrl();
  const key = BENCH_KEY;
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    API_KEYS: `svc-bench=${key}:service+auditor,olga=${key}-ops:ops`,
    BUDGET_STEERING: 'false',
    RATE_LIMIT: '0',
  });
  const stack = await startStack({ config, devServer: 'in-memory', api: { keys: config.apiKeys! } });
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

  const rows: Record<string, number>[] = [];
  let opened = 0;
  try {
    for (const size of sizes) {
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
      rows.push({ runningCases: size, updateAnsweredMs: Math.round(signalledMs), allAppliedMs: Math.round(appliedMs) });
      process.stderr.write(`[bench] ${size} cases: ${JSON.stringify(rows.at(-1))}\n`);
      if (size === sizes.at(-1)) break;
      // Back to normal for the next size; the cases stay with people (kept for review).
      const back = await post('/v1/governor/mode', { mode: 'human_routing', reason: 'bench reset' }, `${key}-ops`);
      const normal = await post('/v1/governor/mode', { mode: 'normal', reason: 'bench reset' }, `${key}-ops`);
      if (back.status !== 200 || normal.status !== 200) throw new Error('resetting the mode failed');
      await until(async () => (await count({ mode: 'normal' })) >= size, performance.now(), 'cases back in normal');
    }
  } finally {
    await stack.stop();
    await dropDatabase(databaseUrl);
  }
  return rows;
}
