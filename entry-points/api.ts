// A standalone API process (`npm run api`), for deployments that run the API apart from workers.
import { ConfigError, loadConfig } from '../config';
import { exitOnStartupError, stopOnSignals } from '../infra/process';
import { KeyRing, rotateOnSighup } from '../infra/key-rotation';
import { createLogger } from '../infra/logging';
import { startStack } from '../infra/stack';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.apiKeys) throw new ConfigError('API_KEYS must be set for a standalone API process');
  const address = config.temporal.address ?? `127.0.0.1:${config.temporal.devPort}`;
  const logger = createLogger(config.logLevel, 'agent-ops-api');
  const keys = new KeyRing(config.apiKeys);
  if (config.apiKeysFile)
    rotateOnSighup(keys, config.apiKeysFile, config.development, (fields, message) => logger.info(fields, message));
  const stack = await startStack({
    config,
    address,
    worker: false,
    governor: false,
    api: { keys, accessLog: (entry) => logger.info(entry, 'request') },
  });
  logger.info({ url: `${stack.api!.url}/v1`, address, namespace: config.temporal.namespace }, 'api listening');
  stopOnSignals(stack.stop);
}

main().catch(exitOnStartupError('api'));
