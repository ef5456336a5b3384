// What every stack-running benchmark sets up first: Temporal's runtime logging only warnings
// (once per process), and a database of its own, so runs never share or keep data.
import { randomBytes } from 'node:crypto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadConfig } from '../config';
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

/** A fresh database name on the configured server, for one benchmark run. */
export function benchDatabaseUrl(): string {
  return withDatabase(loadConfig().databaseUrl, `agent_ops_bench_${randomBytes(3).toString('hex')}`);
}
