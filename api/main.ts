// A standalone API process (`npm run api`), for deployments that run the API apart from workers.
import { ConfigError, loadConfig } from '../config';
import { exitOnStartupError, stopOnSignals } from '../infra/process';
import { openDeps, serveApi } from '../infra/stack';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.apiKeys) throw new ConfigError('API_KEYS must be set for a standalone API process');
  const address = config.temporal.address ?? `127.0.0.1:${config.temporal.devPort}`;
  const deps = await openDeps(config, address);
  const api = await serveApi(deps, config.apiKeys, { accessLog: (e) => console.log(JSON.stringify(e)) });
  console.log(`[api] listening on ${api.url}/v1 (Temporal ${address}, namespace ${config.temporal.namespace})`);
  stopOnSignals([api.stop, deps.close]);
}

main().catch(exitOnStartupError('api'));
