// Assembles the service from its parts: the same wiring for `npm start`, the standalone worker
// and API processes, and the integration tests.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createActivities } from '../activities';
import { createApp } from '../api/app';
import type { ApiKeyTable } from '../api/keys';
import { CaseService } from '../api/services/cases';
import { GovernorService } from '../api/services/governor';
import type { Config } from '../config';
import { openDatabase } from '../db/connect';
import { LinearTicketClassifier, type TicketClassifier } from '../model/classifier';
import { LlmTicketClassifier } from '../model/llm-classifier';
import { createAgentWorker } from '../workers/agent-worker';
import { ModeListener } from '../workers/mode-listener';
import { ensureGovernor } from './governor';
import { ensureSearchAttributes } from './search-attributes';
import { connectClient, connectWorker } from './temporal-connection';

/** The classifier the configuration asks for; the LLM chooses among the default model's intents. */
export function createClassifier(config: Config): TicketClassifier {
  const linear = LinearTicketClassifier.fromFile(config.modelPath);
  const c = config.classifier;
  if (c.kind === 'linear') return linear;
  return new LlmTicketClassifier({
    baseUrl: c.baseUrl,
    model: c.model,
    apiKey: c.apiKey,
    timeoutMs: c.timeoutMs,
    labels: linear.artifact.labels,
  });
}

export interface Deps {
  config: Config;
  address: string;
  db: Knex;
  client: Client;
  modes: ModeListener;
  classifier: TicketClassifier;
  close(): Promise<void>;
}

export async function openDeps(config: Config, address: string, classifier?: TicketClassifier): Promise<Deps> {
  const db = await openDatabase(config.databaseUrl);
  const client = await connectClient({ ...config.temporal, address });
  await ensureSearchAttributes(client);
  const modes = new ModeListener(config.databaseUrl, db);
  await modes.start();
  return {
    config,
    address,
    db,
    client,
    modes,
    classifier: classifier ?? createClassifier(config),
    async close() {
      await modes.stop();
      await client.connection.close();
      await db.destroy();
    },
  };
}

export interface RunningWorker {
  worker: Worker;
  stop(): Promise<void>;
}

export async function runWorker(d: Deps): Promise<RunningWorker> {
  const connection: NativeConnection = await connectWorker({ ...d.config.temporal, address: d.address });
  const worker = await createAgentWorker({
    connection,
    namespace: d.config.temporal.namespace,
    taskQueue: d.config.taskQueue,
    activities: createActivities({ db: d.db, client: d.client, classifier: d.classifier, modes: d.modes }),
    workflowBundlePath: d.config.workflowBundle,
  });
  const running = worker.run();
  let stopped: Promise<void> | undefined;
  return {
    worker,
    stop() {
      // Idempotent: shutdown paths (signals, tests, errors) may all ask.
      stopped ??= (async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
        await connection.close();
      })();
      return stopped;
    },
  };
}

export interface RunningApi {
  url: string;
  stop(): Promise<void>;
}

export async function serveApi(
  d: Deps,
  apiKeys: ApiKeyTable,
  o: { accessLog?: (entry: Record<string, unknown>) => void } = {},
): Promise<RunningApi> {
  const cases = new CaseService({
    client: d.client,
    db: d.db,
    taskQueue: d.config.taskQueue,
    thresholds: d.config.thresholds,
    reviewTimeouts: d.config.reviewTimeouts,
    modes: d.modes,
  });
  const app = createApp({
    client: d.client,
    db: d.db,
    cases,
    governor: new GovernorService(d.client, d.db),
    apiKeys,
    bodyLimit: d.config.bodyLimit,
    accessLog: o.accessLog,
  });
  const server: Server = await new Promise((resolveServer, reject) => {
    const s = app.listen(d.config.port, '0.0.0.0', () => resolveServer(s));
    s.on('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeIdleConnections();
      }),
  };
}

export { ensureGovernor };
