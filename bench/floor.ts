// `npm run bench -- --only floor`: the ticket path against the floor of the same server, in one
// run: an empty workflow (the server's ceiling), a no-op copy of the ticket's command sequence
// (what the sequence costs), the ticket workflow started by the client (what the workflow and its
// activities add), and the ticket path through the API (what the intake adds). All four
// on the dev server as `npm start` runs it (a SQLite file in WAL mode), N at a time.
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../config';
import { dropDatabase } from '../db/connect';
import { startStack } from '../infra/stack';
import type { ticketWorkflow } from '../workflows/ticket';
import { BENCH_KEY, fileServerEnvironment, quietRuntime, startFloorWorker } from './setup';

interface Workload {
  name: string;
  run(index: number): Promise<void>;
}

async function measure(workload: Workload, total: number, concurrency: number) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const index = next++;
        const sent = performance.now();
        await workload.run(index);
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const quantile = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]);
  return {
    workload: workload.name,
    perSecond: +(latencies.length / seconds).toFixed(1),
    p50Ms: quantile(0.5),
    p95Ms: quantile(0.95),
    p99Ms: quantile(0.99),
  };
}

export async function benchFloor({ count, concurrency }: { count: number; concurrency: number }) {
  quietRuntime();
  const config = loadConfig({
    ...(await fileServerEnvironment()),
    PORT: '0',
    API_KEYS: `svc-bench=${BENCH_KEY}:service+auditor`,
  });
  const databaseUrl = config.databaseUrl;
  const stack = await startStack({ config, devServer: 'configured', api: { keys: config.apiKeys! } });
  const floor = await startFloorWorker(config, stack.deps.address);
  const floorQueue = floor.taskQueue;
  const { client } = stack.deps;
  const url = stack.api!.url;
  const start = (type: string, id: string) =>
    client.workflow.execute(type, { workflowId: id, taskQueue: floorQueue, args: [] });
  const workloads: Workload[] = [
    { name: 'empty workflow (the ceiling)', run: (index) => start('emptyWorkflow', `empty-${index}`) },
    { name: "no-op copy of the ticket's sequence", run: (index) => start('noopTicketSequence', `noop-${index}`) },
    {
      // The same workflow and worker without the API: what the intake (HTTP, the pending row, the
      // start) costs is the difference to the next row.
      name: 'the ticket workflow, started by the client',
      run: (index) =>
        client.workflow
          .execute<typeof ticketWorkflow>('ticketWorkflow', {
            workflowId: `direct-${index}`,
            taskQueue: config.taskQueue,
            args: [
              {
                ticket: {
                  externalId: `direct-${index}`,
                  subject: 'Charged twice',
                  body: 'I was charged twice for the same coffee',
                  receivedAt: new Date().toISOString(),
                },
                thresholds: config.thresholds,
                reviewTimeouts: config.reviewTimeouts,
                classifier: 'local',
              },
            ],
          })
          .then(() => undefined),
    },
    {
      name: 'the ticket path through the API',
      async run(index) {
        const res = await fetch(`${url}/v1/tickets`, {
          method: 'POST',
          headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            externalId: `floor-${index}`,
            subject: 'Charged twice',
            body: 'I was charged twice for the same coffee',
          }),
        });
        const { caseId } = (await res.json()) as { caseId: string };
        await client.workflow.getHandle(caseId).result();
      },
    },
  ];
  // What PostgreSQL sees per ticket, from the API and the worker (one process here): statements,
  // and commits (an explicit transaction's COMMIT, or a write outside one).
  const sql = { statements: 0, commits: 0 };
  stack.deps.db.on('query', (query: { sql: string; __knexTxId?: string }) => {
    const verb = query.sql.trimStart().slice(0, 6).toLowerCase();
    if (verb === 'begin;' || verb === 'begin') return;
    if (verb === 'commit') {
      sql.commits += 1;
      return;
    }
    sql.statements += 1;
    if (!query.__knexTxId && ['insert', 'update', 'delete'].includes(verb)) sql.commits += 1;
  });
  const rows = [];
  try {
    for (const workload of workloads) {
      const before = { ...sql };
      const row = await measure(workload, count, concurrency);
      const perCase = (key: keyof typeof sql) => +((sql[key] - before[key]) / count).toFixed(1);
      rows.push({ ...row, sqlStatementsPerCase: perCase('statements'), sqlCommitsPerCase: perCase('commits') });
      process.stderr.write(`[bench] floor: ${JSON.stringify(rows.at(-1))}\n`);
    }
  } finally {
    await floor.stop();
    await stack.stop();
    await dropDatabase(databaseUrl);
  }
  const ceiling = rows[0].perSecond;
  return rows.map((row) => ({ ...row, ofCeiling: +(row.perSecond / ceiling).toFixed(2) }));
}
