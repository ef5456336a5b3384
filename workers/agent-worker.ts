// Builds the workers of one process: the case worker (every workflow, and the activities that read
// and write our own PostgreSQL) and the call-out worker (activities that call another service, the
// LLM classifier), each on its own task queue so a slow or rate-limited vendor never takes the
// slots the cases need. Both join the same Worker Deployment version: a build is one unit.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import type { Activities } from '../workflows/activity-types';

export interface AgentWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: Activities;
  /** This build in its Worker Deployment; absent: an unversioned worker (replay tools, old servers). */
  deployment?: WorkerDeploymentVersion;
  /** Slots, pollers and shutdown grace, from the configuration (README, Configuration). */
  tuning: Partial<WorkerOptions>;
  /**
   * A prebuilt workflow bundle (`npm run build`). Without one the worker bundles the workflow
   * sources at start, which takes a few seconds: fine in development, not in production.
   */
  workflowBundlePath?: string;
}

/** Activities that call out of the service: they run on the call-out task queue only. */
export const CALLOUT_ACTIVITIES = ['classifyTicket'] as const;

function versioning(deployment: WorkerDeploymentVersion | undefined): Pick<WorkerOptions, 'workerDeploymentOptions'> {
  if (!deployment) return {};
  // Each workflow type declares its own behaviour (setWorkflowOptions beside its code); the default
  // is only for a type that forgets to, and PINNED is the one that can never run code a run did not start on.
  return {
    workerDeploymentOptions: { version: deployment, useWorkerVersioning: true, defaultVersioningBehavior: 'PINNED' },
  };
}

/** `npm run build`'s bundle beside the compiled worker (dist/); from the sources there is none. */
const PREBUILT_BUNDLE = join(__dirname, '..', 'workflow-bundle.js');

function workflowCode(bundlePath: string | undefined): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const codePath = bundlePath ?? (existsSync(PREBUILT_BUNDLE) ? PREBUILT_BUNDLE : undefined);
  return codePath ? { workflowBundle: { codePath } } : { workflowsPath: require.resolve('../workflows') };
}

export function createAgentWorker(options: AgentWorkerOptions): Promise<Worker> {
  const { tuning } = options;
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    ...versioning(options.deployment),
    ...tuning,
    ...workflowCode(options.workflowBundlePath),
  });
}

/** The call-out worker: activities only, with a rate limit shared by every worker of the queue. */
export function createCalloutWorker(
  options: Omit<AgentWorkerOptions, 'workflowBundlePath' | 'taskQueue'> & { taskQueue: string },
): Promise<Worker> {
  const { tuning } = options;
  const activities = Object.fromEntries(CALLOUT_ACTIVITIES.map((name) => [name, options.activities[name]]));
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities,
    ...versioning(options.deployment),
    ...tuning,
  });
}
