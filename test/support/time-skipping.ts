// The time-skipping test server with the real activities on a fresh PostgreSQL database: for
// tests of timers (escalation, final timeouts) where hours must pass in milliseconds.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import { inject } from 'vitest';
import { createActivities } from '../../activities';
import { loadConfig } from '../../config';
import { dropDatabase, openDatabase } from '../../db/connect';
import { ModeListener } from '../../db/mode-listener';
import { timeSkippingServer } from '../../infra/dev-server';
import { ensureSearchAttributes } from '../../infra/search-attributes';
import { LinearTicketClassifier } from '../../model/classifier';
import { freshDatabaseUrl } from './stack';

export interface TimeSkippingStack {
  env: TestWorkflowEnvironment;
  db: Knex;
  taskQueue: string;
  stop(): Promise<void>;
}

/** `prepare` runs on the new database before the worker starts (reference data, say). */
export async function startTimeSkipping(
  name: string,
  prepare: (db: Knex) => Promise<void> = async () => undefined,
): Promise<TimeSkippingStack> {
  const databaseUrl = freshDatabaseUrl(name);
  const taskQueue = name.replace(/_/g, '-');
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: timeSkippingServer() } },
  });
  await ensureSearchAttributes(env.client);
  const db = await openDatabase(databaseUrl);
  await prepare(db);
  const modes = new ModeListener(databaseUrl, db);
  await modes.start();
  const classifier = LinearTicketClassifier.fromFile(loadConfig({}).modelPath);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundle') },
    activities: createActivities({ db, client: env.client, classifier, modes }),
  });
  const running = worker.run();
  return {
    env,
    db,
    taskQueue,
    async stop() {
      worker.shutdown();
      await running;
      await modes.stop();
      await db.destroy();
      await env.teardown();
      await dropDatabase(databaseUrl);
    },
  };
}
