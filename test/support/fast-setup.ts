// Once per run of the fast tier: the workflow bundles (built or cached by `workflowBundle`). No server is started
// here; workflow tests start the time-skipping test server themselves, in milliseconds.
import type { TestProject } from 'vitest/node';
import { timeSkippingServer } from '../../infra/dev-server';
import { workflowBundle } from './bundle';

declare module 'vitest' {
  export interface ProvidedContext {
    workflowBundle: string;
    changedWorkflowBundle: string;
    timeSkippingServer: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const [real, changed] = await Promise.all([workflowBundle('real'), workflowBundle('changed')]);
  project.provide('workflowBundle', real);
  project.provide('changedWorkflowBundle', changed);
  project.provide('timeSkippingServer', timeSkippingServer());
}
