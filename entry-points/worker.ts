// A standalone worker process (`npm run worker`): what a production deployment scales out.
// Expects a running Temporal (TEMPORAL_ADDRESS, default 127.0.0.1:7233) and PostgreSQL.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadConfig } from '../config';
import { exitOnStartupError, stopOnSignals } from '../infra/process';
import { startStack } from '../infra/stack';

async function main(): Promise<void> {
  const config = loadConfig();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const address = config.temporal.address ?? `127.0.0.1:${config.temporal.devPort}`;
  const stack = await startStack({ config, address });
  const { deps } = stack;
  console.log(
    `[worker] pid ${process.pid} polling '${config.taskQueue}' on ${address} (${config.temporal.namespace}); ` +
      `model ${deps.classifier.modelVersion}; mode ${deps.modes.mode.mode}`,
  );
  deps.modes.on('change', (change) =>
    console.log(`[worker] mode is now ${change.mode} (seq ${change.seq}): ${change.reason}`),
  );
  stopOnSignals(stack.stop);
}

main().catch(exitOnStartupError('worker'));
