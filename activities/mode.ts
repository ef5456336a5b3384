// The current mode for a case about to route, and the broadcast that makes every worker and every
// undecided case, of any kind, hear of a change.
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Knex } from 'knex';
import { publishModeChange } from '../db/mode-changes';
import type { ModeSource } from '../db/mode-listener';
import { CASE_KINDS } from '../domain/case';
import { forEachBounded } from './bounded';
import type { CaseActivities, GovernorActivities } from '../workflows/activity-types';
import { modeChangedSignal } from '../workflows/messages';

/**
 * Cases that may still change route: running ones. A decided case closes its workflow. The API
 * sets CaseKind when it starts a case, so a case is found from its very first moment.
 */
export const UNDECIDED_CASES_QUERY = `CaseKind IN (${CASE_KINDS.map((kind) => `'${kind}'`).join(', ')}) AND ExecutionStatus = 'Running'`;

/** Signals in flight at once during a broadcast. */
export const BROADCAST_CONCURRENCY = 64;

/** What a broadcast heartbeats: where a retry resumes (the next page) and how many it has told. */
interface BroadcastProgress {
  seq: number;
  /** The visibility page token of the next page to signal, base64; '' for the first. */
  nextPage: string;
  signalled: number;
}

export function modeActivities(
  db: Knex,
  client: Client,
  modes: ModeSource,
  /** Cases listed per visibility page; a page is the unit a retried broadcast resumes from. */
  pageSize = 500,
): Pick<CaseActivities, 'currentMode'> & Pick<GovernorActivities, 'broadcastModeChange'> {
  /** One page of undecided cases, and the token of the page after it ('' when it is the last). */
  async function listPage(token: string) {
    const res = await client.workflowService.listWorkflowExecutions({
      namespace: client.options.namespace,
      query: UNDECIDED_CASES_QUERY,
      pageSize,
      nextPageToken: Buffer.from(token, 'base64'),
    });
    const executions = (res.executions ?? []).flatMap(({ execution }) =>
      execution?.workflowId && execution.runId ? [{ workflowId: execution.workflowId, runId: execution.runId }] : [],
    );
    return { executions, next: res.nextPageToken?.length ? Buffer.from(res.nextPageToken).toString('base64') : '' };
  }

  return {
    currentMode: () => modes.current(),
    async broadcastModeChange({ change, previous }) {
      const context = Context.current();
      // A retry resumes after the last page it finished; a heartbeat of another change is not ours.
      const saved = context.info.heartbeatDetails as BroadcastProgress | undefined;
      const resumed = saved?.seq === change.seq ? saved : null;
      if (!resumed) await publishModeChange(db, change, previous);
      // Signals go out from here, through the client, never from workflow code: a workflow may
      // have only so many outgoing signals in flight, and there may be many cases waiting. They
      // go out many at a time, but a bounded many, so a large backlog neither waits in line nor
      // floods the server.
      let signalled = resumed?.signalled ?? 0;
      const signal = async ({ workflowId, runId }: { workflowId: string; runId: string }) => {
        try {
          await client.workflow.getHandle(workflowId, runId).signal(modeChangedSignal, change);
          signalled += 1;
        } catch (err) {
          // Not found: it finished meanwhile, nothing to tell.
          if (!(err instanceof WorkflowNotFoundError)) throw err;
        }
      };
      let pageToken = resumed?.nextPage ?? '';
      let page = await listPage(pageToken);
      for (;;) {
        // Alive while a slow page goes out; a retry now would redo this page only.
        const beat = setInterval(() => context.heartbeat({ seq: change.seq, nextPage: pageToken, signalled }), 5_000);
        // The next page is read while this one is signalled.
        const following = page.next ? listPage(page.next) : null;
        following?.catch(() => undefined);
        try {
          await forEachBounded(page.executions, BROADCAST_CONCURRENCY, signal);
        } finally {
          clearInterval(beat);
        }
        const progress: BroadcastProgress = { seq: change.seq, nextPage: page.next, signalled };
        context.heartbeat(progress);
        if (!following) break;
        pageToken = page.next;
        page = await following;
      }
      return { signalled };
    },
  };
}
