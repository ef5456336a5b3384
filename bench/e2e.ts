// `npm run bench` (part 2): tickets through the whole stack (API -> Temporal dev server -> worker
// -> PostgreSQL) on this machine. Time from POST to a recorded decision, for auto-routed tickets,
// with N tickets in flight. Bounded in count and time; talks only to 127.0.0.1.
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../config';
import { dropDatabase } from '../db/connect';
import { startStack } from '../infra/stack';
import { BENCH_KEY, fileServerEnvironment, quietRuntime } from './setup';

export interface EndToEndOptions {
  tickets: number;
  concurrency: number;
  /**
   * `file`: the dev server as `npm start` runs it (a SQLite file, WAL unless `wal` is false);
   * `memory`: an in-memory server, about twice as fast and not what users run.
   */
  devServer?: 'file' | 'memory';
  wal?: boolean;
}

export async function benchEndToEnd({ tickets: total, concurrency, devServer = 'file', wal = true }: EndToEndOptions) {
  quietRuntime();
  const key = BENCH_KEY;
  const config = loadConfig({
    ...(await fileServerEnvironment(wal)),
    PORT: '0',
    API_KEYS: `svc-bench=${key}:service+auditor`,
  });
  const databaseUrl = config.databaseUrl;
  const stack = await startStack({
    config,
    devServer: devServer === 'file' ? 'configured' : 'in-memory',
    api: { keys: config.apiKeys! },
  });
  const { client } = stack.deps;
  const url = stack.api!.url;
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const latencies: number[] = [];
  const started = performance.now();
  let next = 0;
  const deadline = Date.now() + 5 * 60_000;
  async function one(index: number) {
    const sent = performance.now();
    const res = await fetch(`${url}/v1/tickets`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        externalId: `bench-${index}`,
        subject: 'Charged twice',
        body: 'I was charged twice for the same coffee',
      }),
    });
    const { caseId } = (await res.json()) as { caseId: string };
    await client.workflow.getHandle(caseId).result();
    latencies.push(performance.now() - sent);
  }
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total && Date.now() < deadline) await one(next++);
      }),
    );
  } finally {
    await stack.stop();
    await dropDatabase(databaseUrl);
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const quantile = (q: number) =>
    +latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(0);
  return {
    devServer: devServer === 'file' ? `file${wal ? ', WAL' : ''}` : 'in memory',
    tickets: latencies.length,
    concurrency,
    ticketsPerSecond: +(latencies.length / seconds).toFixed(1),
    decisionMsP50: quantile(0.5),
    decisionMsP95: quantile(0.95),
    decisionMsMax: quantile(1),
  };
}
