// Structured JSON logs (pino), one object per line. The Temporal runtime's logger forwards to the
// same sink, so the workflow and activity loggers' lines carry the workflow id, run id and
// workflow type the SDK attaches, and every line about a case names its case id.
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import pino, { type Logger } from 'pino';
import type { Config } from '../config';
import { parseCaseId } from '../domain/case';

export type { Logger };

export function createLogger(level: Config['logLevel'], name: string): Logger {
  return pino({ name, level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });
}

const PINO_LEVEL = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/** The case a line is about, from the ids the SDK puts on workflow and activity log lines. */
function caseOf(meta: Record<string, unknown> | undefined): { caseId: string } | Record<string, never> {
  const workflowId = meta?.workflowId;
  return typeof workflowId === 'string' && parseCaseId(workflowId) ? { caseId: workflowId } : {};
}

/**
 * Installs the Temporal runtime with its log lines in `logger` and, when an address is given,
 * the SDK's Prometheus exporter (worker metrics: task slots, latencies, polls, sticky cache).
 * Call once per process, before any connection to Temporal.
 */
export function installRuntime(logger: Logger, level: Config['logLevel'], metricsAddress?: string): void {
  const sdkLevel = level.toUpperCase() as keyof typeof PINO_LEVEL;
  Runtime.install({
    logger: new DefaultLogger(sdkLevel, (entry: LogEntry) => {
      const meta = entry.meta as Record<string, unknown> | undefined;
      logger[PINO_LEVEL[entry.level]]({ ...meta, ...caseOf(meta), source: 'temporal' }, entry.message);
    }),
    ...(metricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: metricsAddress } } } } : {}),
  });
}
