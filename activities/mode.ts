// The current mode for a case about to route, and the broadcast that makes every worker and every
// undecided case hear of a change.
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Knex } from 'knex';
import { publishModeChange } from '../db/mode-changes';
import type { ModeState } from '../domain/types';
import type { GovernorActivities, TicketActivities } from '../workflows/activity-types';
import { modeChangedSignal } from '../workflows/messages';

export interface ModeSource {
  current(): Promise<ModeState>;
}

/** Tickets that may still change route: running ones. Decided tickets close their workflow. */
export const UNDECIDED_TICKETS_QUERY = `WorkflowType = 'ticketWorkflow' AND ExecutionStatus = 'Running'`;

export function modeActivities(
  db: Knex,
  client: Client,
  modes: ModeSource,
): Pick<TicketActivities, 'currentMode'> & GovernorActivities {
  return {
    currentMode: () => modes.current(),
    async broadcastModeChange({ change, previous }) {
      await publishModeChange(db, change, previous);
      // Signals go out from here, through the client, never from workflow code: a workflow may
      // have only so many outgoing signals in flight, and there may be many tickets waiting.
      let signalled = 0;
      let seen = 0;
      for await (const wf of client.workflow.list({ query: UNDECIDED_TICKETS_QUERY })) {
        if (++seen % 50 === 0) Context.current().heartbeat(seen);
        try {
          await client.workflow.getHandle(wf.workflowId, wf.runId).signal(modeChangedSignal, change);
          signalled += 1;
        } catch (err) {
          if (!(err instanceof WorkflowNotFoundError)) throw err; // it finished meanwhile: nothing to tell
        }
      }
      return { signalled };
    },
  };
}
