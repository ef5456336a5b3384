// `npm start`: the whole stack on one machine. Uses TEMPORAL_ADDRESS when set, otherwise runs the
// Temporal dev server (SQLite under .data/, Web UI on 8233); then PostgreSQL migrations, the
// worker, the governor and the API. Ctrl-C stops everything cleanly.
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { developmentKeys } from '../api/keys';
import { ConfigError, loadConfig, type Config } from '../config';
import { DatabaseUnavailableError } from '../db/connect';
import { startDevServer, temporalCli, type DevServer } from '../infra/dev-server';
import { ensureGovernor, openDeps, runWorker, serveApi } from '../infra/stack';

const say = (line: string) => console.log(`[agent-ops] ${line}`);

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(`[agent-ops] ${err instanceof ConfigError ? err.message : err}`);
    process.exit(1);
  }
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping ...');
    for (const stop of stops.reverse()) await stop().catch((err) => console.error(err));
    say('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    let address = config.temporal.address;
    let uiUrl: string | null = null;
    if (!address) {
      const cli = temporalCli({ install: true, log: say });
      say(`starting Temporal dev server (${cli}), data in ${config.temporal.dbFile} ...`);
      const dev: DevServer = await startDevServer({
        cli,
        port: config.temporal.devPort,
        uiPort: config.temporal.uiPort,
        dbFile: config.temporal.dbFile,
        namespace: config.temporal.namespace,
      });
      stops.push(dev.stop);
      address = dev.address;
      uiUrl = dev.uiUrl;
    } else {
      say(`using Temporal at ${address} (namespace ${config.temporal.namespace})`);
    }

    say(
      `opening PostgreSQL ${new URL(config.databaseUrl).host}${new URL(config.databaseUrl).pathname} and applying migrations ...`,
    );
    const deps = await openDeps(config, address);
    stops.push(deps.close);
    say(`model ${deps.classifier.modelVersion}; starting worker on task queue '${config.taskQueue}' ...`);
    const worker = await runWorker(deps);
    stops.push(worker.stop);
    const mode = await ensureGovernor(deps.client, deps.db, config.taskQueue);
    say(`governor running: mode ${mode.mode}`);

    let apiKeys = config.apiKeys;
    let serviceKey = '<service key>';
    if (!apiKeys) {
      const dev = developmentKeys();
      apiKeys = dev.table;
      serviceKey = [...dev.table].find(([, roles]) => roles.has('service'))![0];
      say('API_KEYS is not set: using the development keys (refused when NODE_ENV=production):');
      for (const [key, roles] of dev.table) say(`    ${[...roles].join('+').padEnd(9)} ${key}`);
    }
    const api = await serveApi(deps, apiKeys, { accessLog: (e) => console.log(JSON.stringify(e)) });
    stops.push(api.stop);

    say(`API          ${api.url}/v1   (health: ${api.url}/readyz)`);
    if (uiUrl) say(`Temporal UI  ${uiUrl}`);
    say('try:');
    console.log(
      `  curl -s -X POST ${api.url}/v1/tickets -H 'Authorization: Bearer ${serviceKey}' -H 'Content-Type: application/json' \\\n` +
        `    -d '{"externalId":"demo-1","subject":"Card not arrived","body":"I ordered my card two weeks ago and it still has not arrived"}'`,
    );
    say('Ctrl-C stops everything.');
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DatabaseUnavailableError)
      console.error(`[agent-ops] ${err.message}`);
    else console.error('[agent-ops] failed to start:', err instanceof Error ? err.message : err);
    await shutdown(1);
  }
}

void main();
