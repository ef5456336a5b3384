// Starts the governor singleton if it is not running, resuming from the last recorded mode so
// that a lost Temporal namespace does not silently reset the system to `normal`.
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { latestModeChange } from '../db/mode-changes';
import { GOVERNOR_WORKFLOW_ID, getModeQuery } from '../workflows/messages';
import type { ModeState } from '../domain/case';

export async function ensureGovernor(
  client: Client,
  db: Knex,
  taskQueue: string,
  changesPerRun?: number,
): Promise<ModeState> {
  const last = await latestModeChange(db);
  const handle = await client.workflow.start('governorWorkflow', {
    workflowId: GOVERNOR_WORKFLOW_ID,
    taskQueue,
    args: [{ state: last ?? undefined, changesPerRun }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return handle.query(getModeQuery);
}
