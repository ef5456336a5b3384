// The current mode for a case about to route, and the broadcast that makes every worker and every
// undecided case, of any kind, hear of a change.
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Knex } from 'knex';
import { publishModeChange } from '../db/mode-changes';
import type { ModeSource } from '../db/mode-listener';
import { CASE_KINDS } from '../domain/case';
import type { CaseActivities, GovernorActivities } from '../workflows/activity-types';
import { modeChangedSignal } from '../workflows/messages';

/**
 * Cases that may still change route: running ones. A decided case closes its workflow. The API
 * sets CaseKind when it starts a case, so a case is found from its very first moment.
 */
export const UNDECIDED_CASES_QUERY = `CaseKind IN (${CASE_KINDS.map((kind) => `'${kind}'`).join(', ')}) AND ExecutionStatus = 'Running'`;

/** Signals in flight at once during a broadcast. */
export const BROADCAST_CONCURRENCY = 64;

export function modeActivities(
  db: Knex,
  client: Client,
  modes: ModeSource,
): Pick<CaseActivities, 'currentMode'> & Pick<GovernorActivities, 'broadcastModeChange'> {
  return {
    currentMode: () => modes.current(),
    async broadcastModeChange({ change, previous }) {
      await publishModeChange(db, change, previous);
      // Signals go out from here, through the client, never from workflow code: a workflow may
      // have only so many outgoing signals in flight, and there may be many cases waiting. They
      // go out many at a time, but a bounded many, so a large backlog neither waits in line nor
      // floods the server.
      let signalled = 0;
      let seen = 0;
      const inFlight = new Set<Promise<void>>();
      // The first failure, thrown once the others have settled (the activity retries the whole
      // broadcast; cases drop a repeated one), so no signal is left rejecting unobserved.
      let failure: unknown = null;
      const signal = async (workflowId: string, runId: string) => {
        try {
          await client.workflow.getHandle(workflowId, runId).signal(modeChangedSignal, change);
          signalled += 1;
        } catch (err) {
          // Not found: it finished meanwhile, nothing to tell.
          if (!(err instanceof WorkflowNotFoundError)) failure ??= err;
        }
      };
      for await (const execution of client.workflow.list({ query: UNDECIDED_CASES_QUERY })) {
        if (failure) break;
        if (++seen % 50 === 0) Context.current().heartbeat(seen);
        const sent: Promise<void> = signal(execution.workflowId, execution.runId).finally(() => inFlight.delete(sent));
        inFlight.add(sent);
        if (inFlight.size >= BROADCAST_CONCURRENCY) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
      if (failure) throw failure;
      return { signalled };
    },
  };
}
