// `npm start`: the whole stack on one machine. Uses TEMPORAL_ADDRESS when set, otherwise runs the
// Temporal dev server (SQLite under .data/, Web UI on 8233); then PostgreSQL migrations, the
// worker, the governor and the API. Ctrl-C stops everything cleanly.
import { developmentKeys } from '../config/api-keys';
import { ConfigError, loadConfig, type Config } from '../config';
import { freePort } from '../infra/dev-server';
import { describeStartupError, stopOnSignals } from '../infra/process';
import { seedDemoReference } from '../db/seed-reference';
import { KeyRing, rotateOnSighup } from '../infra/key-rotation';
import { withEmbeddedPostgresIfNeeded, type EmbeddedPostgres } from '../infra/embedded-postgres';
import { createLogger, installRuntime } from '../infra/logging';
import { startStack, type Stack } from '../infra/stack';

const say = (line: string) => console.log(`[agent-ops] ${line}`);

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(`[agent-ops] ${err instanceof ConfigError ? err.message : err}`);
    process.exit(1);
  }
  // The worker runs in this process, so its SDK metrics join /metrics: on the configured address,
  // or on a free loopback port nobody has to choose.
  if (!config.temporalMetricsAddress) config = { ...config, temporalMetricsAddress: `127.0.0.1:${await freePort()}` };
  // Requests and the workflows' and activities' lines as JSON; the banner below stays for people.
  const logger = createLogger(config.logLevel, 'agent-ops');
  installRuntime(logger, config.logLevel, config.temporalMetricsAddress);
  let stack: Stack | null = null;
  let embedded: EmbeddedPostgres | null = null;
  const shutdown = stopOnSignals(async () => {
    await stack?.stop();
    await embedded?.stop();
  }, say);

  let apiKeys = config.apiKeys;
  let serviceKey = '<service key>';
  if (!apiKeys) {
    if (!config.development) {
      console.error(
        '[agent-ops] API_KEYS or API_KEYS_FILE is required (development keys only with NODE_ENV=development)',
      );
      process.exit(1);
    }
    const dev = developmentKeys();
    apiKeys = dev.table;
    serviceKey = dev.keys.find(({ roles }) => roles.includes('service'))!.key;
    say('API_KEYS is not set and NODE_ENV=development: using the development keys:');
    for (const { key, holder, roles } of dev.keys)
      say(`    ${roles.join('+').padEnd(9)} ${key.padEnd(16)} (${holder})`);
  }
  const keys = new KeyRing(apiKeys);
  if (config.apiKeysFile)
    rotateOnSighup(keys, config.apiKeysFile, config.development, (fields, message) => logger.info(fields, message));
  try {
    ({ config, embedded } = await withEmbeddedPostgresIfNeeded(config, say));
    stack = await startStack({
      config,
      devServer: 'configured',
      api: { keys, accessLog: (entry) => logger.info(entry, 'request') },
      log: say,
    });
  } catch (err) {
    console.error(`[agent-ops] failed to start: ${describeStartupError(err)}`);
    await shutdown(1);
    return;
  }
  if (config.development && (await seedDemoReference(stack.deps.db)))
    say('demo reference data written: vendors V-ACME, V-NORD, V-FRESH, V-BLOCKED; purchase orders PO-1001, PO-2001');
  const url = stack.api!.url;
  say(`API          ${url}/v1   (health: ${url}/readyz)`);
  say(`Review desk  ${url}/ui/   (metrics: ${url}/metrics)`);
  if (stack.temporalUiUrl) say(`Temporal UI  ${stack.temporalUiUrl}`);
  say('try:');
  console.log(
    `  curl -s -X POST ${url}/v1/tickets -H 'Authorization: Bearer ${serviceKey}' -H 'Content-Type: application/json' \\\n` +
      `    -d '{"externalId":"demo-1","subject":"Card not arrived","body":"I ordered my card two weeks ago and it still has not arrived"}'`,
  );
  say('Ctrl-C stops everything.');
}

void main();
