// A standalone API process (`npm run api`), for deployments that run the API apart from workers.
import { ConfigError, loadConfig } from '../config';
import { exitOnStartupError, stopOnSignals } from '../infra/process';
import { startStack } from '../infra/stack';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.apiKeys) throw new ConfigError('API_KEYS must be set for a standalone API process');
  const address = config.temporal.address ?? `127.0.0.1:${config.temporal.devPort}`;
  const stack = await startStack({
    config,
    address,
    worker: false,
    governor: false,
    api: { keys: config.apiKeys, accessLog: (entry) => console.log(JSON.stringify(entry)) },
  });
  console.log(`[api] listening on ${stack.api!.url}/v1 (Temporal ${address}, namespace ${config.temporal.namespace})`);
  stopOnSignals(stack.stop);
}

main().catch(exitOnStartupError('api'));
