// Builds the worker that runs the ticket and governor workflows and their activities.
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { Activities } from '../workflows/activity-types';

export interface AgentWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: Activities;
  /**
   * A prebuilt workflow bundle (`npm run build:workflows`). Without one the worker bundles the
   * workflow sources at start, which takes a few seconds: fine in development, not in production.
   */
  workflowBundlePath?: string;
}

export function createAgentWorker(options: AgentWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    ...(options.workflowBundlePath
      ? { workflowBundle: { codePath: options.workflowBundlePath } }
      : { workflowsPath: require.resolve('../workflows') }),
  });
}
