// Workflows for the benchmark against the floor, never deployed: an empty workflow (the server's
// own ceiling), and a copy of the ticket's command sequence whose activities do nothing (what the
// sequence costs, apart from our code). Bundled by the benchmark's own worker.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';

interface NoopActivities {
  noop(): Promise<void>;
}

const { noop } = proxyActivities<NoopActivities>({ startToCloseTimeout: '30 seconds' });
const { noop: noopLocal } = proxyLocalActivities<NoopActivities>({ startToCloseTimeout: '10 seconds' });

export async function emptyWorkflow(): Promise<void> {}

/**
 * The ticket's auto path since the first-record-when-routed patch: critical rules (local),
 * classify, mode (local), record, decide.
 */
export async function noopTicketSequence(): Promise<void> {
  await noopLocal();
  await noop();
  await noopLocal();
  await noop();
  await noop();
}
