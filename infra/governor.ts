// Starts the governor singleton if it is not running, resuming from the last recorded mode so
// that a lost Temporal namespace does not silently reset the system to `normal`.
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { latestModeChange } from '../db/mode-changes';
import { GOVERNOR_WORKFLOW_ID, configureBudgetUpdate, getModeQuery } from '../workflows/messages';
import type { ModeState } from '../domain/case';
import type { GovernorInput, governorWorkflow } from '../workflows/governor';

const CONFIGURE_DEADLINE_MS = 15_000;

export async function ensureGovernor(
  client: Client,
  db: Knex,
  taskQueue: string,
  options: Omit<GovernorInput, 'state' | 'lastUncleanAt'> = {},
): Promise<ModeState> {
  const last = await latestModeChange(db);
  const handle = await client.workflow.start<typeof governorWorkflow>('governorWorkflow', {
    workflowId: GOVERNOR_WORKFLOW_ID,
    taskQueue,
    args: [{ ...options, state: last ?? undefined }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  // A governor already running (started by another process, or before an upgrade) takes the
  // budget of this configuration too.
  try {
    await client.withDeadline(Date.now() + CONFIGURE_DEADLINE_MS, () =>
      handle.executeUpdate(configureBudgetUpdate, { args: [options.budget ?? null] }),
    );
  } catch (err) {
    // No worker serves the governor's task queue right now: it keeps the budget it has.
    console.warn(`[governor] could not pass it the error budget: ${(err as Error).message}`);
  }
  return handle.query(getModeQuery);
}
