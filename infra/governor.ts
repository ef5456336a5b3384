// Starts the governor singleton if it is not running, resuming from the last recorded mode so
// that a lost Temporal namespace does not silently reset the system to `normal`.
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { latestModeChange } from '../db/mode-changes';
import { GOVERNOR_WORKFLOW_ID, getModeQuery } from '../workflows/messages';
import type { ModeState } from '../domain/case';
import type { GovernorInput, governorWorkflow } from '../workflows/governor';

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
    // A governor already running keeps the budget it was started with (until it is restarted).
    args: [{ ...options, state: last ?? undefined }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return handle.query(getModeQuery);
}
