// The one place that reads process.env: parsed once, typed, with defaults and a readable
// error that lists every bad variable at once.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { msToNumber } from '@temporalio/common/lib/time';
import { loadClientConfigProfile, type ClientConfigProfile } from '@temporalio/envconfig';
import type { WorkerOptions } from '@temporalio/worker';
import { z } from 'zod';
import type { ReviewTimeouts, Thresholds } from '../domain/case';
import {
  DEFAULT_BUDGET_POLICY,
  type BudgetPolicy,
  type BudgetWindows,
  type GovernorBudget,
} from '../domain/budget-policy';
import { DEFAULT_THRESHOLDS, validateThresholds } from '../domain/routing';
import { DEFAULT_MODEL_PATH } from '../model/artifact';
import type { DatasetPlaces } from '../model/datasets';
import { parseApiKeys, type ApiKeyTable } from './api-keys';
import { parseInvoicePolicy } from './invoice-policy';
import { DEFAULT_INVOICE_POLICY, type InvoicePolicy } from '../domain/invoice/policy';
import { DEFAULT_MAX_PDF_BYTES } from '../extraction/pdf-intake';

export const PROJECT_ROOT = resolve(__dirname, '..');

const duration = z.string().refine(
  (text) => {
    try {
      return msToNumber(text as never) > 0;
    } catch {
      return false;
    }
  },
  { message: "must be a duration such as '90s', '4 hours' or a number of milliseconds" },
);
const probability = z.coerce.number().min(0).max(1);
const port = z.coerce.number().int().min(0).max(65535);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const Env = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/agent_ops'),
  // TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS*, TEMPORAL_PROFILE and
  // TEMPORAL_CONFIG_FILE are read by @temporalio/envconfig, as the CLI reads them (temporalProfile).
  TEMPORAL_DEV_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_DB_FILE: z.string().default(resolve(PROJECT_ROOT, '.data', 'temporal.sqlite')),
  TEMPORAL_DEV_WAL: bool.default('true'),
  TASK_QUEUE: z.string().min(1).default('agent-ops'),
  CALLOUT_TASK_QUEUE: z.string().min(1).optional(),
  CALLOUT_SLOTS: z.coerce.number().int().min(1).default(10),
  CALLOUT_PER_SECOND: z.coerce.number().gt(0).default(10),
  TEMPORAL_DEPLOYMENT_NAME: z.string().min(1).default('agent-ops'),
  BUILD_ID: z.string().min(1).optional(),
  WORKER_VERSIONING: bool.default('true'),
  BUILD_CURRENT: z.enum(['always', 'if-none', 'never']).default('if-none'),
  WORKER_WORKFLOW_SLOTS: z.coerce.number().int().min(2).default(40),
  WORKER_ACTIVITY_SLOTS: z.coerce.number().int().min(1).default(100),
  WORKER_LOCAL_ACTIVITY_SLOTS: z.coerce.number().int().min(1).default(100),
  WORKER_POLLERS: z.union([z.literal('autoscaling'), z.coerce.number().int().min(2)]).default('autoscaling'),
  WORKER_POLLERS_MAX: z.coerce.number().int().min(2).default(20),
  WORKER_SHUTDOWN_GRACE: duration.default('10s'),
  API_KEYS: z.string().optional(),
  API_KEYS_FILE: z.string().optional(),
  NODE_ENV: z.string().optional(),
  BODY_LIMIT: z.string().default('64kb'),
  RATE_LIMIT: z.coerce.number().int().min(0).default(1200),
  AUDIT_RATE: probability.default(0.05),
  BROADCAST_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(500),
  ALERT_WEBHOOK_URL: z.string().url().optional(),
  ERROR_BUDGET: z.coerce.number().gt(0).lt(1).default(DEFAULT_BUDGET_POLICY.budget),
  BUDGET_SAFE_AT: z.coerce.number().gt(0).lt(1).default(DEFAULT_BUDGET_POLICY.safeAt!),
  BUDGET_HUMAN_ROUTING_AT: z.coerce.number().gt(0).lt(1).default(DEFAULT_BUDGET_POLICY.humanRoutingAt),
  BUDGET_SHUTDOWN_AT: z.coerce.number().gt(0).lt(1).default(DEFAULT_BUDGET_POLICY.shutdownAt),
  BUDGET_MIN_EVALUATED: z.coerce.number().int().min(1).default(DEFAULT_BUDGET_POLICY.minEvaluated),
  BUDGET_RELAX_AFTER: duration.default('30m'),
  BUDGET_FAST_WINDOW: duration.default('5m'),
  BUDGET_SLOW_WINDOW: duration.default('1h'),
  BUDGET_STEERING: bool.default('true'),
  EARLY_WARNINGS: bool.default('true'),
  BUDGET_COUNTS: z.enum(['confident', 'all']).default('confident'),
  WARNING_REFERENCE_WINDOW: duration.default('1h'),
  GOVERNOR_TICK: duration.default('10s'),
  REQUEST_TIMEOUT: duration.default('30s'),
  MODEL_PATH: z.string().default(DEFAULT_MODEL_PATH),
  DATASETS_DIR: z.string().optional(),
  WORKFLOW_BUNDLE: z.string().optional(),
  CLASSIFIER: z.enum(['linear', 'llm']).default('linear'),
  LLM_BASE_URL: z.string().url().optional(),
  LLM_MODEL: z.string().min(1).optional(),
  LLM_API_KEY: z.string().optional(),
  LLM_TIMEOUT: duration.default('30s'),
  THRESHOLD_AUTO: probability.default(DEFAULT_THRESHOLDS.auto),
  THRESHOLD_ASSISTED: probability.default(DEFAULT_THRESHOLDS.assisted),
  THRESHOLD_REDUCED_AUTO: probability.default(DEFAULT_THRESHOLDS.reducedAuto),
  REVIEW_ESCALATE_AFTER: duration.default('4 hours'),
  REVIEW_TIMEOUT: duration.default('24 hours'),
  REVIEW_DEADLINE: duration.default('10s'),
  INVOICE_POLICY_FILE: z.string().optional(),
  TEMPORAL_METRICS_ADDRESS: z
    .string()
    .regex(/^[\w.-]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:9464')
    .optional(),
  TEMPORAL_UI_URL: z.string().url().optional(),
  WORKER_HEALTH_ADDRESS: z
    .string()
    .regex(/^[^\s]+:\d+$/, 'must be host:port, e.g. 0.0.0.0:8080')
    .optional(),
  EMBEDDED_POSTGRES: z.enum(['auto', 'always', 'never']).default('auto'),
  PGLITE_DIR: z.string().default(resolve(PROJECT_ROOT, '.data', 'pglite')),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error']).default('info'),
  INVOICE_MAX_BYTES: z.coerce.number().int().min(1024).default(DEFAULT_MAX_PDF_BYTES),
  INVOICE_AUDIT_EVERY: duration.default('7d'),
  INVOICE_AUDIT_RATE: probability.default(0.1),
});

export interface Config {
  port: number;
  /** Interface the API listens on: loopback unless HOST says otherwise (a container: 0.0.0.0). */
  host: string;
  databaseUrl: string;
  /** True when DATABASE_URL was set: then it is used as given, never replaced by an embedded one. */
  databaseUrlExplicit: boolean;
  /** `auto`: an embedded PostgreSQL (PGlite) when DATABASE_URL is unset and none answers; under `dir`. */
  embeddedPostgres: { mode: 'auto' | 'always' | 'never'; dir: string };
  /** Connections in the service's pool (one on the embedded PostgreSQL, which is one session). */
  databasePoolMax: number;
  /** Set: the mode listener reads the mode table this often instead of LISTEN (embedded PostgreSQL). */
  modePollMs?: number;
  temporal: {
    /** Unset (in neither the environment nor the profile): `npm start` runs the local dev server. */
    address?: string;
    namespace: string;
    /** The connection as Temporal's tools configure it: the TOML profile, then the environment. */
    profile: ClientConfigProfile;
    devPort: number;
    uiPort: number;
    dbFile: string;
    /** The dev server's SQLite file in WAL mode with synchronous=normal (see infra/dev-server.ts). */
    devWal: boolean;
  };
  taskQueue: string;
  /** Where activities that call out of the service (the LLM) are scheduled, with their own rate limit. */
  calloutTaskQueue: string;
  /** This build in its Worker Deployment (docs/architecture.md, Worker Versioning). */
  deployment: {
    name: string;
    /** BUILD_ID when set; otherwise infra/worker-deployment.ts derives it from the version and commit. */
    buildId?: string;
    /** false: unversioned workers, for a server without Worker Deployments. */
    versioning: boolean;
    /** Whether a starting worker makes its build current: `npm start` always; a worker only for a new deployment. */
    makeCurrent: 'always' | 'if-none' | 'never';
  };
  workerTuning: WorkerTuning;
  /** Null when neither API_KEYS nor API_KEYS_FILE is set: the API then needs `development`. */
  apiKeys: ApiKeyTable | null;
  /** Where the keys came from when a file: SIGHUP reads it again. */
  apiKeysFile?: string;
  /** NODE_ENV=development, exactly: development keys and short keys are allowed only then. */
  development: boolean;
  bodyLimit: string;
  /** Where alerts are POSTed (by the worker process); none when unset. */
  alertWebhookUrl?: string;
  /** Share of automatic decisions drawn for an audit by a reviewer. */
  auditRate: number;
  /** Cases a mode broadcast lists per visibility page: the unit a retried broadcast resumes from. */
  broadcastPageSize: number;
  /** The error budget the governor steers by (null: BUDGET_STEERING=false, the mode moves by hand only). */
  budget: GovernorBudget | null;
  /** The budget's windows and share, also when it does not steer: GET /v1/governor shows them. */
  budgetWindows: BudgetWindows;
  /** Requests per minute per API key; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** Longest a client may take to send a whole request (slow or stalled bodies are cut off). */
  requestTimeoutMs: number;
  modelPath: string;
  /** Where `train`, `eval` and the data-set tests look for the raw data sets. */
  datasets: DatasetPlaces;
  workflowBundle?: string;
  /** `linear`: the committed model at modelPath; `llm`: an OpenAI-compatible server. */
  classifier: { kind: 'linear' } | { kind: 'llm'; baseUrl: string; model: string; apiKey?: string; timeoutMs: number };
  thresholds: Thresholds;
  reviewTimeouts: ReviewTimeouts;
  /** How long POST …/review waits for a worker to apply a review before answering 503. */
  reviewDeadlineMs: number;
  /** Approval matrix, auto-approval limit and match tolerances (defaults, or INVOICE_POLICY_FILE). */
  invoicePolicy: InvoicePolicy;
  /** Largest invoice PDF the API takes, in bytes. */
  invoiceMaxBytes: number;
  /** The audit Schedule: every period, this share of the invoices the agent approved alone. */
  invoiceAudit: { everyMs: number; rate: number };
  /** Where a worker process serves the Temporal SDK's Prometheus metrics (`host:port`); unset: not served. */
  temporalMetricsAddress?: string;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /** The Temporal Web UI of a cluster (the dev server's is known without it), for links to a case's workflow. */
  temporalUiUrl?: string;
  /** Where a split worker answers /healthz and /readyz (`host:port`); unset: not served. */
  workerHealthAddress?: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * How a worker process polls and how much it runs at once (README, Configuration), as the SDK's
 * own worker options: the case worker's, and the call-out worker's with its queue-wide rate limit.
 */
export interface WorkerTuning {
  cases: Pick<
    WorkerOptions,
    | 'maxConcurrentWorkflowTaskExecutions'
    | 'maxConcurrentActivityTaskExecutions'
    | 'maxConcurrentLocalActivityExecutions'
    | 'workflowTaskPollerBehavior'
    | 'activityTaskPollerBehavior'
    | 'shutdownGraceTime'
  >;
  callouts: Pick<
    WorkerOptions,
    | 'maxConcurrentActivityTaskExecutions'
    | 'maxTaskQueueActivitiesPerSecond'
    | 'activityTaskPollerBehavior'
    | 'shutdownGraceTime'
  >;
}

/** Every variable the service reads: its own, and the Temporal connection's (read by envconfig). */
export const CONFIG_VARIABLES: readonly string[] = [
  ...Object.keys(Env.shape),
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_API_KEY',
  'TEMPORAL_PROFILE',
  'TEMPORAL_CONFIG_FILE',
  'TEMPORAL_TLS',
  'TEMPORAL_TLS_CLIENT_CERT_PATH',
  'TEMPORAL_TLS_CLIENT_KEY_PATH',
  'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  'TEMPORAL_TLS_SERVER_NAME',
  'TEMPORAL_TLS_CERT',
  'TEMPORAL_TLS_KEY',
];

/** Our earlier names for two of Temporal's variables, kept as aliases (README, Configuration). */
const TEMPORAL_ALIASES: Record<string, string> = {
  TEMPORAL_TLS_CERT: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
  TEMPORAL_TLS_KEY: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
};

/**
 * The Temporal connection as the CLI and every SDK read it: the profile (TEMPORAL_PROFILE,
 * default `default`) of the TOML file (TEMPORAL_CONFIG_FILE, default the user's
 * temporalio/temporal.toml), overridden by TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_API_KEY and the TEMPORAL_TLS_* variables.
 */
function temporalProfile(env: NodeJS.ProcessEnv): ClientConfigProfile {
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && value !== '') vars[name] = value;
  for (const [alias, name] of Object.entries(TEMPORAL_ALIASES))
    if (vars[alias] && !vars[name]) vars[name] = vars[alias];
  // An API key or a client certificate means TLS, as Temporal Cloud and mTLS clusters need.
  if ((vars.TEMPORAL_API_KEY || vars.TEMPORAL_TLS_CLIENT_CERT_PATH) && vars.TEMPORAL_TLS === undefined)
    vars.TEMPORAL_TLS = 'true';
  return loadClientConfigProfile({ profile: vars.TEMPORAL_PROFILE, overrideEnvVars: vars });
}

function workerTuning(env: z.infer<typeof Env>): WorkerTuning {
  const pollers: WorkerOptions['workflowTaskPollerBehavior'] =
    env.WORKER_POLLERS === 'autoscaling'
      ? { type: 'autoscaling', minimum: 1, initial: 5, maximum: env.WORKER_POLLERS_MAX }
      : { type: 'simple-maximum', maximum: env.WORKER_POLLERS };
  const shutdownGraceTime = msToNumber(env.WORKER_SHUTDOWN_GRACE as never);
  return {
    cases: {
      maxConcurrentWorkflowTaskExecutions: env.WORKER_WORKFLOW_SLOTS,
      maxConcurrentActivityTaskExecutions: env.WORKER_ACTIVITY_SLOTS,
      maxConcurrentLocalActivityExecutions: env.WORKER_LOCAL_ACTIVITY_SLOTS,
      workflowTaskPollerBehavior: pollers,
      activityTaskPollerBehavior: pollers,
      shutdownGraceTime,
    },
    callouts: {
      maxConcurrentActivityTaskExecutions: env.CALLOUT_SLOTS,
      maxTaskQueueActivitiesPerSecond: env.CALLOUT_PER_SECOND,
      activityTaskPollerBehavior: pollers,
      shutdownGraceTime,
    },
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const thresholds = { auto: e.THRESHOLD_AUTO, assisted: e.THRESHOLD_ASSISTED, reducedAuto: e.THRESHOLD_REDUCED_AUTO };
  const problems = validateThresholds(thresholds).map((p) => `  thresholds: ${p}`);
  const reviewTimeouts = {
    escalateAfterMs: msToNumber(e.REVIEW_ESCALATE_AFTER as never),
    finalTimeoutMs: msToNumber(e.REVIEW_TIMEOUT as never),
  };
  if (reviewTimeouts.finalTimeoutMs <= reviewTimeouts.escalateAfterMs) {
    problems.push('  REVIEW_TIMEOUT: must be longer than REVIEW_ESCALATE_AFTER');
  }
  // Development keys and short keys only where the environment says, in so many words, development.
  const development = e.NODE_ENV === 'development';
  let apiKeys: ApiKeyTable | null = null;
  const keySource = e.API_KEYS ? 'API_KEYS' : 'API_KEYS_FILE';
  try {
    if (e.API_KEYS && e.API_KEYS_FILE) throw new Error('set API_KEYS or API_KEYS_FILE, not both');
    const spec = e.API_KEYS ?? (e.API_KEYS_FILE ? readFileSync(e.API_KEYS_FILE, 'utf8') : null);
    apiKeys = spec === null ? null : parseApiKeys(spec, { development });
  } catch (err) {
    problems.push(`  ${keySource}: ${(err as Error).message}`);
  }
  if (e.CLASSIFIER === 'llm') {
    if (!e.LLM_BASE_URL) problems.push('  LLM_BASE_URL: is required with CLASSIFIER=llm');
    if (!e.LLM_MODEL) problems.push('  LLM_MODEL: is required with CLASSIFIER=llm');
  }
  const policy: BudgetPolicy = {
    budget: e.ERROR_BUDGET,
    safeAt: e.BUDGET_SAFE_AT,
    humanRoutingAt: e.BUDGET_HUMAN_ROUTING_AT,
    shutdownAt: e.BUDGET_SHUTDOWN_AT,
    minEvaluated: e.BUDGET_MIN_EVALUATED,
    relaxAfterMs: msToNumber(e.BUDGET_RELAX_AFTER as never),
  };
  if (!(
    policy.budget < policy.safeAt! &&
    policy.safeAt! <= policy.humanRoutingAt &&
    policy.humanRoutingAt < policy.shutdownAt
  )) {
    problems.push(
      '  ERROR_BUDGET, BUDGET_SAFE_AT, BUDGET_HUMAN_ROUTING_AT, BUDGET_SHUTDOWN_AT: must increase in that order',
    );
  }
  const windows = {
    fastWindowMs: msToNumber(e.BUDGET_FAST_WINDOW as never),
    slowWindowMs: msToNumber(e.BUDGET_SLOW_WINDOW as never),
    ...(e.EARLY_WARNINGS ? { referenceWindowMs: msToNumber(e.WARNING_REFERENCE_WINDOW as never) } : {}),
    // The budget is for mistakes the agent makes acting alone: a reviewer correcting a proposal
    // the agent itself marked uncertain is the routing policy working, not an error of autonomy.
    ...(e.BUDGET_COUNTS === 'confident' ? { confidentAbove: thresholds.auto } : {}),
  };
  if (windows.fastWindowMs >= windows.slowWindowMs)
    problems.push('  BUDGET_FAST_WINDOW: must be shorter than BUDGET_SLOW_WINDOW');
  let invoicePolicy = DEFAULT_INVOICE_POLICY;
  try {
    if (e.INVOICE_POLICY_FILE) invoicePolicy = parseInvoicePolicy(readFileSync(e.INVOICE_POLICY_FILE, 'utf8'));
  } catch (err) {
    problems.push(`  INVOICE_POLICY_FILE: ${(err as Error).message}`);
  }
  let profile: ClientConfigProfile | undefined;
  try {
    profile = temporalProfile(env);
  } catch (err) {
    problems.push(`  TEMPORAL_PROFILE / TEMPORAL_CONFIG_FILE: ${(err as Error).message}`);
  }
  if (problems.length) throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databaseUrlExplicit: Object.prototype.hasOwnProperty.call(env, 'DATABASE_URL') && env.DATABASE_URL !== '',
    embeddedPostgres: { mode: e.EMBEDDED_POSTGRES, dir: resolve(e.PGLITE_DIR) },
    databasePoolMax: 10,
    temporal: {
      address: profile?.address,
      namespace: profile?.namespace ?? 'default',
      profile: profile ?? {},
      devPort: e.TEMPORAL_DEV_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      dbFile: resolve(e.TEMPORAL_DB_FILE),
      devWal: e.TEMPORAL_DEV_WAL,
    },
    taskQueue: e.TASK_QUEUE,
    calloutTaskQueue: e.CALLOUT_TASK_QUEUE ?? `${e.TASK_QUEUE}-callouts`,
    deployment: {
      name: e.TEMPORAL_DEPLOYMENT_NAME,
      buildId: e.BUILD_ID,
      versioning: e.WORKER_VERSIONING,
      makeCurrent: e.BUILD_CURRENT,
    },
    workerTuning: workerTuning(e),
    apiKeys,
    apiKeysFile: e.API_KEYS_FILE ? resolve(e.API_KEYS_FILE) : undefined,
    development,
    bodyLimit: e.BODY_LIMIT,
    rateLimitPerMinute: e.RATE_LIMIT,
    auditRate: e.AUDIT_RATE,
    broadcastPageSize: e.BROADCAST_PAGE_SIZE,
    alertWebhookUrl: e.ALERT_WEBHOOK_URL,
    budget: e.BUDGET_STEERING ? { policy, tickMs: msToNumber(e.GOVERNOR_TICK as never), ...windows } : null,
    budgetWindows: { ...windows, budget: e.ERROR_BUDGET },
    requestTimeoutMs: msToNumber(e.REQUEST_TIMEOUT as never),
    modelPath: resolve(e.MODEL_PATH),
    datasets: { projectRoot: PROJECT_ROOT, datasetsDir: e.DATASETS_DIR ? resolve(e.DATASETS_DIR) : undefined },
    workflowBundle: e.WORKFLOW_BUNDLE ? resolve(e.WORKFLOW_BUNDLE) : undefined,
    classifier:
      e.CLASSIFIER === 'llm'
        ? {
            kind: 'llm',
            baseUrl: e.LLM_BASE_URL!,
            model: e.LLM_MODEL!,
            apiKey: e.LLM_API_KEY,
            timeoutMs: msToNumber(e.LLM_TIMEOUT as never),
          }
        : { kind: 'linear' },
    thresholds,
    reviewTimeouts,
    reviewDeadlineMs: msToNumber(e.REVIEW_DEADLINE as never),
    invoicePolicy,
    invoiceMaxBytes: e.INVOICE_MAX_BYTES,
    invoiceAudit: { everyMs: msToNumber(e.INVOICE_AUDIT_EVERY as never), rate: e.INVOICE_AUDIT_RATE },
    temporalMetricsAddress: e.TEMPORAL_METRICS_ADDRESS,
    logLevel: e.LOG_LEVEL,
    temporalUiUrl: e.TEMPORAL_UI_URL,
    workerHealthAddress: e.WORKER_HEALTH_ADDRESS,
  };
}
