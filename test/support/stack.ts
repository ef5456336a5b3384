// A real stack for one test file: its own Temporal namespace and task queue on the shared dev
// server, a fresh PostgreSQL database, the real worker, governor and API on a free port.
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../config';
import { dropDatabase, withDatabase } from '../../db/connect';
import type { CaseState } from '../../domain/case';
import { startStack, type Deps, type RunningApi, type RunningWorker } from '../../infra/stack';
import { getCaseQuery } from '../../workflows/messages';
import { eventually } from './eventually';

/** Each test key's holder and roles: people by name, service accounts as svc-…. */
const HOLDERS = {
  service: ['svc-intake', 'service'],
  reviewer: ['rita', 'reviewer'],
  reviewer2: ['sam', 'reviewer'],
  ops: ['olga', 'ops'],
  auditor: ['audra', 'auditor'],
  reviewerOps: ['max', 'reviewer+ops'],
  serviceOps: ['svc-robot', 'ops'],
} as const;
type KeyName = keyof typeof HOLDERS;

/** Keys as long as production requires (24 characters or more). */
export const KEYS = Object.fromEntries(
  Object.entries(HOLDERS).map(([name, [holder]]) => [name, `${holder}-test-key-0123456789abcdef`]),
) as Record<KeyName, string>;
export const HOLDER = Object.fromEntries(Object.entries(HOLDERS).map(([name, [holder]]) => [name, holder])) as Record<
  KeyName,
  string
>;
const API_KEYS = Object.entries(HOLDERS)
  .map(([name, [holder, roles]]) => `${holder}=${KEYS[name as KeyName]}:${roles}`)
  .join(',');

export interface TestStack {
  config: Config;
  deps: Deps;
  worker: RunningWorker;
  api: RunningApi;
  http(
    method: string,
    path: string,
    options?: { key?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any }>;
  caseState(caseId: string): Promise<CaseState>;
  /** Waits until the workflow's state satisfies `ok` and that state is in PostgreSQL. */
  waitForCase(caseId: string, ok: (state: CaseState) => boolean, what: string): Promise<CaseState>;
  restartWorker(): Promise<void>;
  stop(): Promise<void>;
}

/** A database of its own for a test, on the server DATABASE_URL names (default: the local one). */
export function freshDatabaseUrl(name: string): string {
  const suffix = `${name.replace(/[^a-z0-9]/gi, '_')}_${randomBytes(3).toString('hex')}`;
  return withDatabase(loadConfig().databaseUrl, `agent_ops_test_${suffix}`);
}

export async function startTestStack(
  file: string,
  env: Record<string, string> = {},
  options: { governorChangesPerRun?: number } = {},
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
    // No draws for audits unless a test asks: an automatic decision then stays `decided`.
    AUDIT_RATE: '0',
    // Early warnings compare the proposals with their recent history; tests that ask for them
    // set their own windows, so no other test's mix of texts moves the mode.
    EARLY_WARNINGS: 'false',
    ...env,
  });
  const running = await startStack({
    config,
    address: inject('temporalAddress'),
    governor: { changesPerRun: options.governorChangesPerRun },
    api: { keys: config.apiKeys! },
  });
  const { deps } = running;
  const api = running.api!;

  const stack: TestStack = {
    config,
    deps,
    get worker() {
      return running.worker!;
    },
    api,
    async http(method, path, request = {}) {
      const headers: Record<string, string> = { ...(request.headers ?? {}) };
      const key = request.key === undefined ? KEYS.service : request.key;
      if (key) headers.authorization = `Bearer ${key}`;
      let body: string | undefined;
      if (request.raw !== undefined) body = request.raw;
      else if (request.body !== undefined) body = JSON.stringify(request.body);
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
      const { state } = await eventually(read, (seen) => seen.persisted, `${caseId} ${what}`);
      return state!;
    },
    restartWorker: () => running.restartWorker(),
    async stop() {
      await running.stop();
      await dropDatabase(databaseUrl);
    },
  };
  return stack;
}
