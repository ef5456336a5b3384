// Once per run of the fast tier: the workflow bundles (built or cached by `workflowBundle`). No server is started
// here; workflow tests start the time-skipping test server themselves, in milliseconds.
import type { TestProject } from 'vitest/node';
import { timeSkippingServer } from '../../infra/dev-server';
import { workflowBundle } from './bundle';

declare module 'vitest' {
  export interface ProvidedContext {
    workflowBundle: string;
    unversionedWorkflowBundle: string;
    timeSkippingServer: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const [real, unversioned] = await Promise.all([workflowBundle('real'), workflowBundle('unversioned')]);
  project.provide('workflowBundle', real);
  project.provide('unversionedWorkflowBundle', unversioned);
  project.provide('timeSkippingServer', timeSkippingServer());
}
