// The singleton that holds the system's autonomy mode and broadcasts every change. Later the
// error-budget logic moves the mode on its own; ops can always move it by hand.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { initialModeState, modeChangeRefusal } from '../domain/modes';
import type { ModeChangeRequest, ModeState } from '../domain/case';
import { MODE_CHANGE_REFUSED } from '../domain/failures';
import type { GovernorActivities } from './activity-types';
import { getModeQuery, setModeUpdate } from './messages';

export interface GovernorInput {
  /** Carried across continue-as-new; absent on the very first run. */
  state?: ModeState;
  /** Changes per run before continuing as new; small values are for tests. */
  changesPerRun?: number;
}

/** Keeps each run's history small and fast to replay, well below the event-count limits. */
export const CHANGES_PER_RUN = 200;

const { broadcastModeChange } = proxyActivities<GovernorActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export async function governorWorkflow(input: GovernorInput = {}): Promise<never> {
  let state: ModeState = input.state ?? initialModeState(new Date().toISOString());
  const pending: { change: ModeState; previous: ModeState['mode'] }[] = [];
  // The mode in force is the last one broadcast: a requested change counts only once every
  // worker and running case can have heard of it, so the query never reports one they do not apply.
  let inForce: ModeState = state;
  let broadcastSeq = state.seq;
  let changesThisRun = 0;
  const changesPerRun = input.changesPerRun ?? CHANGES_PER_RUN;

  setHandler(getModeQuery, () => inForce);
  setHandler(
    setModeUpdate,
    async (request: ModeChangeRequest) => {
      const previous = state.mode;
      state = {
        mode: request.mode,
        reason: request.reason,
        operator: request.operator,
        since: new Date().toISOString(),
        seq: state.seq + 1,
      };
      changesThisRun += 1;
      const change = state;
      pending.push({ change, previous });
      // Answer once the change has been persisted and pushed, so the caller can rely on it.
      await condition(() => broadcastSeq >= change.seq);
      return change;
    },
    {
      validator: (request: ModeChangeRequest) => {
        const refusal = modeChangeRefusal(state.mode, request?.mode, request?.operator ?? '', request?.reason ?? '');
        if (refusal)
          throw ApplicationFailure.create({ type: MODE_CHANGE_REFUSED, message: refusal, nonRetryable: true });
      },
    },
  );

  for (;;) {
    await condition(
      () => pending.length > 0 || changesThisRun >= changesPerRun || workflowInfo().continueAsNewSuggested,
    );
    while (pending.length > 0) {
      const next = pending.shift()!;
      const { signalled } = await broadcastModeChange(next);
      broadcastSeq = next.change.seq;
      inForce = next.change;
      log.info('mode changed', { mode: next.change.mode, previous: next.previous, seq: next.change.seq, signalled });
    }
    if (changesThisRun >= changesPerRun || workflowInfo().continueAsNewSuggested) {
      // A change that arrives meanwhile is broadcast first; its handler is waiting on that.
      await condition(() => allHandlersFinished() || pending.length > 0);
      if (pending.length === 0)
        await continueAsNew<typeof governorWorkflow>({ state, changesPerRun: input.changesPerRun });
    }
  }
}
