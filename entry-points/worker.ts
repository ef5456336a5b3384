// A standalone worker process (`npm run worker`): what a production deployment scales out.
// Expects a running Temporal (TEMPORAL_ADDRESS, default 127.0.0.1:7233) and PostgreSQL.
import { loadConfig } from '../config';
import { createLogger, installRuntime } from '../infra/logging';
import { exitOnStartupError, stopOnSignals } from '../infra/process';
import { startStack } from '../infra/stack';
import { serveWorkerHealth } from '../infra/worker-health';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'agent-ops-worker');
  installRuntime(logger, config.logLevel, config.temporalMetricsAddress);
  const address = config.temporal.address ?? `127.0.0.1:${config.temporal.devPort}`;
  const stack = await startStack({ config, address });
  const { deps } = stack;
  logger.info(
    {
      taskQueue: config.taskQueue,
      address,
      namespace: config.temporal.namespace,
      model: deps.classifier.modelVersion,
      mode: deps.modes.mode.mode,
      ...(config.temporalMetricsAddress ? { metrics: `http://${config.temporalMetricsAddress}/metrics` } : {}),
      ...(stack.worker?.deployment ? { deployment: stack.worker.deployment } : {}),
    },
    `worker polling '${config.taskQueue}'`,
  );
  deps.modes.on('change', (change) =>
    logger.info(
      { mode: change.mode, seq: change.seq, scopes: change.scopes },
      `mode is now ${change.mode}: ${change.reason}`,
    ),
  );
  const health = config.workerHealthAddress
    ? await serveWorkerHealth(config.workerHealthAddress, () => stack.worker?.worker ?? null)
    : null;
  stopOnSignals(async () => {
    health?.close();
    await stack.stop();
  });
}

main().catch(exitOnStartupError('worker'));
