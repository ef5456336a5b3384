// Workflows for the benchmarks against the floor, never deployed: an empty workflow (the server's
// own ceiling), a copy of the ticket's command sequence whose activities do nothing (what the
// sequence costs, apart from our code), and a workflow that only waits for one signal (what a
// broadcast cannot go below). Bundled by the benchmarks' own worker.
import { condition, defineSignal, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';

interface NoopActivities {
  noop(): Promise<void>;
}

const { noop } = proxyActivities<NoopActivities>({ startToCloseTimeout: '30 seconds' });
const { noop: noopLocal } = proxyLocalActivities<NoopActivities>({ startToCloseTimeout: '10 seconds' });

export async function emptyWorkflow(): Promise<void> {}

/**
 * The ticket's auto path since the steps-in-one-task patch: critical rules, classify and the mode
 * (local activities, in the first workflow task), then the decision (a regular activity).
 */
export async function noopTicketSequence(): Promise<void> {
  await noopLocal();
  await noopLocal();
  await noopLocal();
  await noop();
}

export const wakeSignal = defineSignal('wake');

/** Waits for one signal and ends in the workflow task that hears it: a signal's least cost. */
export async function waitForSignal(): Promise<void> {
  let woken = false;
  setHandler(wakeSignal, () => {
    woken = true;
  });
  await condition(() => woken);
}
