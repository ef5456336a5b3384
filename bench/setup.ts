// What every stack-running benchmark sets up first: Temporal's runtime logging only warnings
// (once per process), and a database of its own, so runs never share or keep data.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../infra/dev-server';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { loadConfig, type Config } from '../config';
import { connectWorker } from '../infra/temporal-connection';
import { withDatabase } from '../db/connect';

/** The service key the benchmarks' API accepts (service and auditor roles). */
export const BENCH_KEY = 'bench-key-0123456789abcdefghij';

export function quietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed by an earlier benchmark in this process
  }
}

/**
 * What `npm start` runs, for one benchmark run: the dev server on a SQLite file of its own (WAL
 * unless told otherwise), on free ports, and a fresh database.
 */
export async function fileServerEnvironment(wal = true): Promise<Record<string, string>> {
  return {
    DATABASE_URL: benchDatabaseUrl(),
    TEMPORAL_DB_FILE: join(mkdtempSync(join(tmpdir(), 'bench-temporal-')), 'temporal.sqlite'),
    TEMPORAL_DEV_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    TEMPORAL_DEV_WAL: String(wal),
  };
}

/** A fresh database name on the configured server, for one benchmark run. */
export function benchDatabaseUrl(): string {
  return withDatabase(loadConfig().databaseUrl, `agent_ops_bench_${randomBytes(3).toString('hex')}`);
}

/**
 * A worker for the floor workflows (bench/workflows/floor.ts), on a task queue of its own beside
 * the stack's, with activities that do nothing. Returns a stop function.
 */
export async function startFloorWorker(config: Config, address: string) {
  const taskQueue = `${config.taskQueue}-floor`;
  const connection = await connectWorker({ ...config.temporal, address });
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue,
    workflowsPath: require.resolve('./workflows/floor'),
    activities: { noop: async () => undefined },
  });
  const running = worker.run();
  return {
    taskQueue,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
