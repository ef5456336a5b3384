// `npm run bench` (part 2): tickets through the whole stack (API -> Temporal dev server -> worker
// -> PostgreSQL) on this machine. Time from POST to a recorded decision, for auto-routed tickets,
// with N tickets in flight. Bounded in count and time; talks only to 127.0.0.1.
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadConfig } from '../config';
import { dropDatabase, withDatabase } from '../db/connect';
import { freePort, startDevServer, temporalCli } from '../infra/dev-server';
import { ensureGovernor, openDeps, runWorker, serveApi } from '../infra/stack';

export async function benchEndToEnd(
  total = Number(process.env.BENCH_TICKETS ?? 300),
  concurrency = Number(process.env.BENCH_CONCURRENCY ?? 20),
) {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed
  }
  const server = await startDevServer({
    cli: temporalCli({ install: true }),
    port: await freePort(),
    namespace: 'default',
  });
  const databaseUrl = withDatabase(
    'postgres://postgres@127.0.0.1:5432/postgres',
    `agent_ops_bench_${randomBytes(3).toString('hex')}`,
  );
  const config = loadConfig({ DATABASE_URL: databaseUrl, PORT: '0', API_KEYS: 'bench:service+auditor' });
  const deps = await openDeps(config, server.address);
  const worker = await runWorker(deps);
  await ensureGovernor(deps.client, deps.db, config.taskQueue);
  const api = await serveApi(deps, config.apiKeys!);
  const headers = { authorization: 'Bearer bench', 'content-type': 'application/json' };
  const latencies: number[] = [];
  const started = performance.now();
  let next = 0;
  const deadline = Date.now() + 5 * 60_000;
  async function one(i: number) {
    const t = performance.now();
    const res = await fetch(`${api.url}/v1/tickets`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        externalId: `bench-${i}`,
        subject: 'Charged twice',
        body: 'I was charged twice for the same coffee',
      }),
    });
    const { caseId } = (await res.json()) as { caseId: string };
    await deps.client.workflow.getHandle(caseId).result();
    latencies.push(performance.now() - t);
  }
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total && Date.now() < deadline) await one(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await api.stop();
  await worker.stop();
  await deps.close();
  await server.stop();
  await dropDatabase(databaseUrl);
  latencies.sort((a, b) => a - b);
  const p = (q: number) => +latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(0);
  return {
    tickets: latencies.length,
    concurrency,
    ticketsPerSecond: +(latencies.length / seconds).toFixed(1),
    decisionMsP50: p(0.5),
    decisionMsP95: p(0.95),
    decisionMsMax: p(1),
  };
}

if (require.main === module) {
  benchEndToEnd().then(
    (r) => console.table(r),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
