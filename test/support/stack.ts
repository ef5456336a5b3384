// A real stack for one test file: its own Temporal namespace and task queue on the shared dev
// server, a fresh PostgreSQL database, the real worker, governor and API on a free port.
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../config';
import { dropDatabase, withDatabase } from '../../db/connect';
import {
  ensureGovernor,
  openDeps,
  runWorker,
  serveApi,
  type Deps,
  type RunningApi,
  type RunningWorker,
} from '../../infra/stack';
import type { CaseState } from '../../domain/types';
import { getCaseQuery } from '../../workflows/messages';
import { eventually } from './eventually';

export const KEYS = {
  service: 'svc-key',
  reviewer: 'rev-key',
  ops: 'ops-key',
  auditor: 'aud-key',
  reviewerOps: 'multi-key',
} as const;
const API_KEYS = `svc-key:service,rev-key:reviewer,ops-key:ops,aud-key:auditor,multi-key:reviewer+ops`;

export const BASE_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestStack {
  config: Config;
  deps: Deps;
  worker: RunningWorker;
  api: RunningApi;
  http(
    method: string,
    path: string,
    o?: { key?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any }>;
  caseState(caseId: string): Promise<CaseState>;
  /** Waits until the workflow's state satisfies `ok` and that state is in PostgreSQL. */
  waitForCase(caseId: string, ok: (s: CaseState) => boolean, what: string): Promise<CaseState>;
  restartWorker(): Promise<void>;
  stop(): Promise<void>;
}

export function freshDatabaseUrl(name: string): string {
  return withDatabase(
    BASE_DATABASE_URL,
    `agent_ops_test_${name.replace(/[^a-z0-9]/gi, '_')}_${randomBytes(3).toString('hex')}`,
  );
}

export async function startTestStack(
  file: string,
  env: Record<string, string> = {},
  o: { governorChangesPerRun?: number } = {},
): Promise<TestStack> {
  const namespace = basename(file).replace(/\.test\.ts$/, '');
  const databaseUrl = freshDatabaseUrl(namespace);
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    TEMPORAL_NAMESPACE: namespace,
    TASK_QUEUE: `tq-${namespace}-${randomBytes(3).toString('hex')}`,
    PORT: '0',
    API_KEYS,
    WORKFLOW_BUNDLE: inject('workflowBundle'),
    ...env,
  });
  const address = inject('temporalAddress');
  const deps = await openDeps(config, address);
  let worker = await runWorker(deps);
  await ensureGovernor(deps.client, deps.db, config.taskQueue, o.governorChangesPerRun);
  const api = await serveApi(deps, config.apiKeys!);

  const stack: TestStack = {
    config,
    deps,
    get worker() {
      return worker;
    },
    api,
    async http(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      const key = o.key === undefined ? KEYS.service : o.key;
      if (key) headers.authorization = `Bearer ${key}`;
      let body: string | undefined;
      if (o.raw !== undefined) body = o.raw;
      else if (o.body !== undefined) body = JSON.stringify(o.body);
      if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
      const res = await fetch(`${api.url}${path}`, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON: the test asserts on the raw text.
      }
      return { status: res.status, body: parsed };
    },
    caseState: (caseId) => deps.client.workflow.getHandle(caseId).query(getCaseQuery),
    async waitForCase(caseId, ok, what) {
      // Done when the workflow is there and has also written that state to PostgreSQL, which
      // the API reads: the query can run ahead of the recordCase activity.
      const read = async () => {
        const state = await stack.caseState(caseId).catch(() => undefined); // not started yet
        const row = state && ok(state) ? await deps.db('cases').where({ case_id: caseId }).first() : undefined;
        return { state, persisted: Boolean(row && state && row.version >= state.version) };
      };
      const { state } = await eventually(read, (r) => r.persisted, `${caseId} ${what}`);
      return state!;
    },
    async restartWorker() {
      await worker.stop();
      worker = await runWorker(deps);
    },
    async stop() {
      await api.stop();
      await worker.stop();
      await deps.close();
      await dropDatabase(databaseUrl);
    },
  };
  return stack;
}
