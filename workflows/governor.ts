// The singleton that holds the system's autonomy mode and broadcasts every change. On a timer it
// evaluates the error budget and moves the mode on its own (tightening at once, relaxing one step
// after a clean period, never out of shutdown); ops can always move it by hand.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  setWorkflowOptions,
  workflowInfo,
} from '@temporalio/workflow';
import { isClean, proposeChanges, type GovernorBudget } from '../domain/budget-policy';
import { initialModeState, modeChangeRefusal, SYSTEM_OPERATOR } from '../domain/modes';
import { GLOBAL_SCOPE, modeOfScope, withScope } from '../domain/scopes';
import type { ModeChangeRequest, ModeState } from '../domain/case';
import { MODE_CHANGE_REFUSED } from '../domain/failures';
import type { GovernorActivities } from './activity-types';
import { configureBudgetUpdate, getBudgetQuery, getModeQuery, setModeUpdate, type BudgetEvaluation } from './messages';

export interface GovernorInput {
  /** Carried across continue-as-new; absent on the very first run. */
  state?: ModeState;
  /** Changes per run before continuing as new; small values are for tests. */
  changesPerRun?: number;
  /** Budget evaluations per run before continuing as new; small values are for tests. */
  ticksPerRun?: number;
  /** The error budget it steers by; without it the mode moves only by hand. */
  budget?: GovernorBudget;
  /** When the figures were last not clean (workflow time): relaxing waits for a clean period. */
  lastUncleanAt?: number;
  /** The same, per scope that holds a mode of its own. */
  scopesUncleanAt?: Record<string, number>;
}

/** Keeps each run's history small and fast to replay, well below the event-count limits. */
export const CHANGES_PER_RUN = 200;
/** Budget evaluations per run: each is a timer and a local activity in history. */
export const TICKS_PER_RUN = 500;

// However many cases wait, the broadcast finishes: it heartbeats after every page of cases, and a
// retry resumes after the last page it finished instead of starting over.
const { broadcastModeChange } = proxyActivities<GovernorActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});
// One aggregate query on the worker: a local activity, no extra round trip through the server.
const { evaluateBudget } = proxyLocalActivities<GovernorActivities>({ startToCloseTimeout: '30 seconds' });

// AUTO_UPGRADE: the governor runs for ever, so it cannot drain; it moves to each new current build
// at its next workflow task. A change to its command sequence therefore ships under `patched()`,
// and its continue-as-new starts the next run on the current build, where the patch can retire.
setWorkflowOptions({ versioningBehavior: 'AUTO_UPGRADE' }, governorWorkflow);

export async function governorWorkflow(input: GovernorInput = {}): Promise<never> {
  let state: ModeState = input.state ?? initialModeState(new Date().toISOString());
  const pending: { change: ModeState; previous: ModeState['mode'] }[] = [];
  // The mode in force is the last one broadcast: a requested change counts only once every
  // worker and running case can have heard of it, so the query never reports one they do not apply.
  let inForce: ModeState = state;
  let broadcastSeq = state.seq;
  let changesThisRun = 0;
  let ticksThisRun = 0;
  const changesPerRun = input.changesPerRun ?? CHANGES_PER_RUN;
  const ticksPerRun = input.ticksPerRun ?? TICKS_PER_RUN;
  let budget = input.budget;
  let reconfigured = false;
  let lastUncleanAt = input.lastUncleanAt ?? Date.now();
  const scopesUncleanAt: Record<string, number> = { ...(input.scopesUncleanAt ?? {}) };

  /**
   * Every change, by hand or by the budget, global or scoped, takes this one path: queued,
   * persisted, broadcast. Each carries the whole picture (global mode and scopes) after it.
   */
  function change(request: ModeChangeRequest): ModeState {
    const scope = request.scope && request.scope !== GLOBAL_SCOPE ? request.scope : undefined;
    const previous = modeOfScope(state, scope);
    const scopes = scope ? withScope(state.scopes, scope, request.mode) : state.scopes;
    state = {
      mode: scope ? state.mode : request.mode,
      reason: request.reason,
      operator: request.operator,
      since: new Date().toISOString(),
      seq: state.seq + 1,
      ...(request.evidence === undefined ? {} : { evidence: request.evidence }),
      ...(scope ? { scope } : {}),
      ...(scopes && Object.keys(scopes).length > 0 ? { scopes } : {}),
    };
    if (scope && !(scope in scopesUncleanAt)) scopesUncleanAt[scope] = Date.now();
    changesThisRun += 1;
    pending.push({ change: state, previous });
    return state;
  }

  let lastEvaluation: BudgetEvaluation | null = null;
  setHandler(getModeQuery, () => inForce);
  setHandler(getBudgetQuery, () => lastEvaluation);
  setHandler(configureBudgetUpdate, (next) => {
    budget = next ?? undefined;
    reconfigured = true;
  });
  setHandler(
    setModeUpdate,
    async (request: ModeChangeRequest) => {
      const changed = change(request);
      // Answer once the change has been persisted and pushed, so the caller can rely on it.
      await condition(() => broadcastSeq >= changed.seq);
      return changed;
    },
    {
      validator: (request: ModeChangeRequest) => {
        const refusal = modeChangeRefusal(
          modeOfScope(state, request?.scope),
          request?.mode,
          request?.operator ?? '',
          request?.reason ?? '',
          request?.scope,
        );
        if (refusal)
          throw ApplicationFailure.create({ type: MODE_CHANGE_REFUSED, message: refusal, nonRetryable: true });
      },
    },
  );

  /** Evaluates the budget and applies what the policy proposes, as the system's own operator. */
  async function steer(policy: GovernorBudget): Promise<void> {
    ticksThisRun += 1;
    const figures = await evaluateBudget({
      fastWindowMs: policy.fastWindowMs,
      slowWindowMs: policy.slowWindowMs,
      budget: policy.policy.budget,
      ...(policy.referenceWindowMs ? { referenceWindowMs: policy.referenceWindowMs } : {}),
      ...(policy.confidentAbove === undefined ? {} : { confidentAbove: policy.confidentAbove }),
    });
    const now = Date.now();
    lastEvaluation = { at: new Date(now).toISOString(), ...figures };
    if (!isClean(figures.slow, policy.policy)) lastUncleanAt = now;
    for (const scope of Object.keys(state.scopes ?? {})) {
      const own = figures.categories?.[scope.replace(/^category:/, '')];
      if (!own || !isClean(own.slow, policy.policy)) scopesUncleanAt[scope] = now;
    }
    const cleanFor = (scope: string) =>
      now - (scope === GLOBAL_SCOPE ? lastUncleanAt : (scopesUncleanAt[scope] ?? now));
    for (const proposal of proposeChanges(state, figures, policy.policy, cleanFor)) {
      const scope = proposal.scope === GLOBAL_SCOPE ? undefined : proposal.scope;
      const from = modeOfScope(state, scope);
      if (modeChangeRefusal(from, proposal.mode, SYSTEM_OPERATOR, proposal.reason, scope)) continue;
      change({
        mode: proposal.mode,
        reason: proposal.reason,
        operator: SYSTEM_OPERATOR,
        evidence: proposal.evidence,
        scope,
      });
      // A step restarts the clean period the next one needs.
      if (scope) scopesUncleanAt[scope] = now;
      else lastUncleanAt = now;
    }
    for (const scope of Object.keys(scopesUncleanAt)) if (!state.scopes?.[scope]) delete scopesUncleanAt[scope];
  }

  const ready = () =>
    reconfigured || pending.length > 0 || changesThisRun >= changesPerRun || workflowInfo().continueAsNewSuggested;
  for (;;) {
    if (budget) {
      if (!(await condition(ready, budget.tickMs))) await steer(budget);
    } else {
      await condition(ready);
    }
    reconfigured = false;
    while (pending.length > 0) {
      const next = pending.shift()!;
      const { signalled } = await broadcastModeChange(next);
      broadcastSeq = next.change.seq;
      inForce = next.change;
      log.info('mode changed', { mode: next.change.mode, previous: next.previous, seq: next.change.seq, signalled });
    }
    if (changesThisRun >= changesPerRun || ticksThisRun >= ticksPerRun || workflowInfo().continueAsNewSuggested) {
      // A change that arrives meanwhile is broadcast first; its handler is waiting on that.
      await condition(() => allHandlersFinished() || pending.length > 0);
      if (pending.length === 0) {
        await continueAsNew<typeof governorWorkflow>({
          state,
          changesPerRun: input.changesPerRun,
          ticksPerRun: input.ticksPerRun,
          budget,
          lastUncleanAt,
          scopesUncleanAt,
        });
      }
    }
  }
}
