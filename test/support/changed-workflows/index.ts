// The workflow code as a build B might ship it: the ticket workflow starts with a timer, a change
// to its command sequence made without `patched()`. Tests use it as the next build in a Worker
// Versioning rollout (cases pinned to the build they started on must never run it) and to show
// that replay catches such a change against the recorded baseline.
import { setWorkflowOptions, sleep } from '@temporalio/workflow';
import { ticketWorkflow as baseline, type TicketWorkflowInput } from '../../../workflows/ticket';

export * from '../../../workflows';

/** The timer's length: a new command, the first one of every ticket started on this build. */
export const CHANGED_BUILD_TIMER = '1 millisecond';

setWorkflowOptions({ versioningBehavior: 'PINNED' }, ticketWorkflow);

export async function ticketWorkflow(input: TicketWorkflowInput): ReturnType<typeof baseline> {
  await sleep(CHANGED_BUILD_TIMER);
  return baseline(input);
}
