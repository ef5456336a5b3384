// Assembles the service from its parts, once, for everything that runs it: `npm start`, the
// standalone worker and API processes, the integration tests, the benchmark and the history
// recorder. A stack stops what it started, in reverse order, also when starting fails midway.
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createActivities } from '../activities';
import { createApp } from '../api/app';
import { CaseService } from '../api/services/cases';
import { GovernorService } from '../api/services/governor';
import type { Keys } from '../api/auth';
import type { Config } from '../config';
import { openDatabase } from '../db/connect';
import { ModeListener } from '../db/mode-listener';
import type { ModeState } from '../domain/case';
import { LinearTicketClassifier, type TicketClassifier } from '../model/classifier';
import { LlmTicketClassifier } from '../model/llm-classifier';
import { createAgentWorker, createCalloutWorker } from '../workers/agent-worker';
import { makeBuildCurrent, resolveBuildId } from './worker-deployment';
import { startAlertDelivery } from './alert-webhook';
import { startDevServer, temporalCli } from './dev-server';
import { ensureGovernor } from './governor';
import { ensureInvoiceAuditSchedule } from './invoice-audit-schedule';
import { ensureSearchAttributes } from './search-attributes';
import { connectClient, connectWorker } from './temporal-connection';

/** The classifier the configuration asks for; the LLM chooses among the default model's intents. */
export function createClassifier(config: Config): TicketClassifier {
  const linear = LinearTicketClassifier.fromFile(config.modelPath);
  const llm = config.classifier;
  if (llm.kind === 'linear') return linear;
  return new LlmTicketClassifier({ ...llm, labels: linear.artifact.labels });
}

/** What every part of a process shares: the database, the Temporal client and the mode as last heard. */
export interface Deps {
  config: Config;
  address: string;
  db: Knex;
  client: Client;
  modes: ModeListener;
  classifier: TicketClassifier;
}

export interface RunningWorker {
  /** The case worker (workflows and our own activities); the call-out worker runs beside it. */
  worker: Worker;
  deployment: WorkerDeploymentVersion | null;
  stop(): Promise<void>;
}

export interface RunningApi {
  url: string;
  stop(): Promise<void>;
}

export interface StackOptions {
  config: Config;
  /**
   * A Temporal server already running at this address; otherwise the stack uses
   * `config.temporal.address`, or starts a dev server (`devServer`) when that is unset too.
   */
  address?: string;
  /** How to run a local dev server: Web UI and SQLite file from the configuration, or in memory. */
  devServer?: 'configured' | 'in-memory';
  /** Run a worker in this process (default true). */
  worker?: boolean;
  /** Make sure the governor runs; `changesPerRun` is small only in tests. Default: ensured. */
  governor?: { changesPerRun?: number } | false;
  /** Serve the API with these keys; no API when absent. */
  api?: { keys: Keys; accessLog?: (entry: Record<string, unknown>) => void };
  classifier?: TicketClassifier;
  /** Progress lines for a person watching the start. */
  log?: (line: string) => void;
}

export interface Stack {
  deps: Deps;
  readonly worker: RunningWorker | null;
  api: RunningApi | null;
  /** The governor's mode when the stack started, when it ensured the governor. */
  mode: ModeState | null;
  temporalUiUrl: string | null;
  restartWorker(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const { config } = options;
  const log = options.log ?? (() => undefined);
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch((err) => console.error(err));
  };
  try {
    let address = options.address ?? config.temporal.address;
    let temporalUiUrl: string | null = null;
    if (!address) {
      const configured = options.devServer !== 'in-memory';
      const cli = temporalCli({ install: true, log });
      log(`starting Temporal dev server (${cli})${configured ? `, data in ${config.temporal.dbFile}` : ''} ...`);
      const server = await startDevServer({
        cli,
        port: configured ? config.temporal.devPort : undefined,
        uiPort: configured ? config.temporal.uiPort : undefined,
        dbFile: configured ? config.temporal.dbFile : undefined,
        walMode: config.temporal.devWal,
        // Beside its data: the next start finds a server a killed start left behind.
        pidFile: configured ? join(dirname(config.temporal.dbFile), 'temporal-dev.pid') : undefined,
        namespace: config.temporal.namespace,
        log,
      });
      stops.push(server.stop);
      address = server.address;
      temporalUiUrl = server.uiUrl;
    } else {
      log(`using Temporal at ${address} (namespace ${config.temporal.namespace})`);
    }

    const databaseUrl = new URL(config.databaseUrl);
    log(`opening PostgreSQL ${databaseUrl.host}${databaseUrl.pathname} and applying migrations ...`);
    const deps = await openDeps(config, address, options.classifier);
    stops.push(() => closeDeps(deps));

    let worker: RunningWorker | null = null;
    if (options.worker !== false) {
      log(`model ${deps.classifier.modelVersion}; starting worker on task queue '${config.taskQueue}' ...`);
      worker = await runWorker(deps, log);
      stops.push(() => worker!.stop());
      if (config.alertWebhookUrl) stops.push(startAlertDelivery(deps.db, config.alertWebhookUrl).stop);
    }
    const mode =
      options.governor === false
        ? null
        : await ensureGovernor(deps.client, deps.db, config.taskQueue, {
            changesPerRun: options.governor?.changesPerRun,
            budget: config.budget ?? undefined,
          });
    if (mode) {
      log(`governor running: mode ${mode.mode}`);
      await ensureInvoiceAuditSchedule(deps.client, config.taskQueue, config.invoiceAudit);
    }

    const api = options.api
      ? await serveApi(
          deps,
          options.api.keys,
          options.api.accessLog,
          worker !== null,
          temporalUiUrl ?? config.temporalUiUrl,
        )
      : null;
    if (api) stops.push(api.stop);

    return {
      deps,
      get worker() {
        return worker;
      },
      api,
      mode,
      temporalUiUrl,
      async restartWorker() {
        await worker?.stop();
        worker = await runWorker(deps, log);
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function openDeps(config: Config, address: string, classifier?: TicketClassifier): Promise<Deps> {
  const db = await openDatabase(config.databaseUrl, config.databasePoolMax);
  try {
    const client = await connectClient({ ...config.temporal, address });
    await ensureSearchAttributes(client);
    const modes = new ModeListener(config.databaseUrl, db, config.modePollMs);
    await modes.start();
    return { config, address, db, client, modes, classifier: classifier ?? createClassifier(config) };
  } catch (err) {
    await db.destroy();
    throw err;
  }
}

async function closeDeps(deps: Deps): Promise<void> {
  await deps.modes.stop();
  await deps.client.connection.close();
  await deps.db.destroy();
}

/** This process's build in its Worker Deployment, or none when versioning is off. */
function deploymentVersion(config: Config): WorkerDeploymentVersion | undefined {
  if (!config.deployment.versioning) return undefined;
  return { deploymentName: config.deployment.name, buildId: resolveBuildId(config.deployment.buildId) };
}

async function runWorker(deps: Deps, log: (line: string) => void): Promise<RunningWorker> {
  const { config } = deps;
  const connection: NativeConnection = await connectWorker({ ...config.temporal, address: deps.address });
  const deployment = deploymentVersion(config);
  const activities = createActivities({
    db: deps.db,
    client: deps.client,
    classifier: deps.classifier,
    modes: deps.modes,
    auditRate: config.auditRate,
    broadcastPageSize: config.broadcastPageSize,
  });
  const common = {
    connection,
    namespace: config.temporal.namespace,
    activities,
    deployment,
  };
  const workers = [
    await createAgentWorker({
      ...common,
      tuning: config.workerTuning.cases,
      taskQueue: config.taskQueue,
      workflowBundlePath: config.workflowBundle,
    }),
    await createCalloutWorker({ ...common, tuning: config.workerTuning.callouts, taskQueue: config.calloutTaskQueue }),
  ];
  const running = workers.map((worker) => worker.run());
  let stopped: Promise<void> | undefined;
  const stop = () => {
    // Idempotent: shutdown paths (signals, tests, errors) may all ask.
    stopped ??= (async () => {
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown();
      await Promise.allSettled(running);
      await connection.close();
    })();
    return stopped;
  };
  if (deployment) {
    try {
      const made = await makeBuildCurrent(deps.client, deployment, config.deployment.makeCurrent);
      log(`build ${deployment.buildId} of deployment '${deployment.deploymentName}': ${made.replace('-', ' ')}`);
    } catch (err) {
      await stop();
      throw err;
    }
  }
  return { worker: workers[0], deployment: deployment ?? null, stop };
}

async function serveApi(
  deps: Deps,
  apiKeys: Keys,
  accessLog?: (entry: Record<string, unknown>) => void,
  workerInProcess = false,
  temporalUiUrl?: string,
): Promise<RunningApi> {
  const { config } = deps;
  const cases = new CaseService({
    client: deps.client,
    db: deps.db,
    taskQueue: config.taskQueue,
    thresholds: config.thresholds,
    reviewTimeouts: config.reviewTimeouts,
    reviewDeadlineMs: config.reviewDeadlineMs,
    modes: deps.modes,
    invoicePolicy: config.invoicePolicy,
    invoiceMaxBytes: config.invoiceMaxBytes,
    classifier: config.classifier.kind === 'linear' ? 'local' : 'remote',
    calloutTaskQueue: config.calloutTaskQueue,
  });
  const governor = new GovernorService(deps.client, deps.db, config.budgetWindows);
  const app = createApp({
    rateLimitPerMinute: config.rateLimitPerMinute,
    taskQueue: config.taskQueue,
    client: deps.client,
    db: deps.db,
    cases,
    governor,
    apiKeys,
    bodyLimit: config.bodyLimit,
    invoiceMaxBytes: config.invoiceMaxBytes,
    // This process's worker metrics ride along with /metrics; a separate worker serves its own.
    temporalMetricsAddress: workerInProcess ? config.temporalMetricsAddress : undefined,
    workflowUrl: temporalUiUrl
      ? `${temporalUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/{workflowId}`
      : undefined,
    accessLog,
  });
  // A client that sends its request too slowly is cut off (408) instead of holding a socket; the
  // deadlines are checked every second, not every 30 s as Node does by default.
  const server: Server = createServer(
    {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: Math.min(config.requestTimeoutMs, 60_000),
      connectionsCheckingInterval: Math.min(1000, config.requestTimeoutMs),
    },
    app,
  );
  await new Promise<void>((resolveServer, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolveServer());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    stop: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeIdleConnections();
      }),
  };
}
