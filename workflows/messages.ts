// Every signal, update and query, defined once and imported by workflows, the API and tests,
// so a message's name is never typed twice. Safe to import outside the workflow sandbox.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CaseState, ModeChangeRequest, ModeState, ReviewInput } from '../domain/case';
import type { BudgetFigures, GovernorBudget } from '../domain/budget-policy';

/** The API's way to review any case: validated by the workflow, and answers with the decided case. */
export const submitReviewUpdate = defineUpdate<CaseState, [ReviewInput]>('submitReview');

/** The same review as a signal: what a reviewer sends from the Temporal Web UI. */
export const reviewSignal = defineSignal<[ReviewInput]>('review');

/** Pushed by the governor's broadcast to every case that has not decided yet. */
export const modeChangedSignal = defineSignal<[ModeState]>('modeChanged');

export const getCaseQuery = defineQuery<CaseState>('getCase');

export const getModeQuery = defineQuery<ModeState>('getMode');

/** The governor's last evaluation of the error budget (null before the first, or when it does not steer). */
export const getBudgetQuery = defineQuery<BudgetEvaluation | null>('getBudget');

export interface BudgetEvaluation extends BudgetFigures {
  at: string;
}

/**
 * The error budget the governor steers by, from the configuration of the process that ensures it
 * (null: by hand only). Sent on every start, so a running governor follows a changed configuration.
 */
export const configureBudgetUpdate = defineUpdate<void, [GovernorBudget | null]>('configureBudget');

/** Ops changing the mode by hand; refused (with a reason) when the change is not allowed. */
export const setModeUpdate = defineUpdate<ModeState, [ModeChangeRequest]>('setMode');

export const GOVERNOR_WORKFLOW_ID = 'agent-ops-governor';
