// A support ticket as a durable case: classify, route by confidence and mode, wait for a human
// when the policy says so, record the decision. The history of this workflow is the audit trail.
import {
  allHandlersFinished,
  condition,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { reviewRefusal } from '../domain/review';
import { routeCase } from '../domain/routing';
import type {
  CaseState,
  CaseStatus,
  DecisionRecord,
  ModeState,
  Outcome,
  ReviewInput,
  ReviewTimeouts,
  Route,
  TicketInput,
  Thresholds,
} from '../domain/types';
import type { TicketActivities } from './activity-types';
import { getCaseQuery, modeChangedSignal, reviewSignal, submitReviewUpdate } from './messages';
import { awaitReview, ReviewInbox } from './review-inbox';
import * as SA from './search-attributes';

export interface TicketWorkflowInput {
  ticket: TicketInput;
  thresholds: Thresholds;
  reviewTimeouts: ReviewTimeouts;
}

const { classifyTicket } = proxyActivities<TicketActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5 },
});
const { currentMode } = proxyActivities<TicketActivities>({ startToCloseTimeout: '10 seconds' });
// A one-row read: as a local activity it costs no extra round trip through the server.
const { currentMode: currentModeLocal } = proxyLocalActivities<TicketActivities>({ startToCloseTimeout: '10 seconds' });
// Recording must eventually succeed: a database outage delays the case, it never loses it.
const { recordCase, recordDecision } = proxyActivities<TicketActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Patch ids: one per change to the command sequence of running workflows. Never reuse one. */
const CURRENT_MODE_LOCAL = 'current-mode-local-activity';

const OUTCOME_OF_REVIEW: Record<ReviewInput['decision'], Outcome> = {
  approve: 'approved',
  correct: 'corrected',
  reject: 'rejected',
};

export async function ticketWorkflow({
  ticket,
  thresholds,
  reviewTimeouts,
}: TicketWorkflowInput): Promise<DecisionRecord> {
  const { workflowId, runId } = workflowInfo();
  const state: CaseState = {
    caseId: workflowId,
    kind: 'ticket',
    status: 'processing',
    route: null,
    routeReason: null,
    mode: 'normal',
    suggestionVisible: true,
    classification: null,
    escalated: false,
    decision: null,
    refusedReviews: [],
    version: 0,
  };
  let modeSeq = -1;
  let timedOut = false;
  let recorded = false;
  let dirty = false;

  // Handlers first: signals and updates that arrive before the first await are not lost.
  setHandler(getCaseQuery, () => state);
  const inbox = new ReviewInbox<ReviewInput, CaseState>({
    update: submitReviewUpdate,
    signal: reviewSignal,
    refusal: (review) => reviewRefusal(state, review),
    onRefusedSignal: (review, refusal) => {
      state.refusedReviews.push({ review, reason: refusal.message, at: new Date().toISOString() });
    },
    settled: () => recorded,
    result: () => state,
  });
  setHandler(modeChangedSignal, (change) => {
    if (applyMode(change) && state.classification && !state.decision) reroute();
  });

  function applyMode(change: ModeState): boolean {
    if (change.seq <= modeSeq) return false; // stale or duplicate broadcast
    modeSeq = change.seq;
    if (state.mode === change.mode) return false;
    state.mode = change.mode;
    dirty = true;
    return true;
  }

  /** Applies the routing policy again; a case that has timed out stays with the humans. */
  function reroute(): void {
    const c = state.classification!;
    const r = routeCase({
      confidence: c.confidence,
      anomaly: c.anomaly,
      calibrated: c.calibrated,
      mode: state.mode,
      thresholds,
    });
    const route: Route = timedOut ? 'manual' : r.route;
    state.route = route;
    state.routeReason = timedOut ? 'review_timeout' : r.reason;
    state.suggestionVisible = r.suggestionVisible;
    state.status = statusFor(route);
    dirty = true;
  }

  function statusFor(route: Route): CaseStatus {
    if (route === 'auto') return 'processing';
    if (route === 'manual') return state.escalated && !timedOut ? 'escalated' : 'manual';
    return state.escalated ? 'escalated' : 'awaiting_review';
  }

  function searchAttributes() {
    const c = state.suggestionVisible ? state.classification : null;
    upsertSearchAttributes([
      { key: SA.CaseKind, value: state.kind },
      { key: SA.CaseStatus, value: state.status },
      { key: SA.CaseMode, value: state.mode },
      { key: SA.CaseRoute, value: state.route },
      { key: SA.CaseCategory, value: c?.category ?? null },
      { key: SA.CaseConfidence, value: c?.confidence ?? null },
      { key: SA.CaseEscalated, value: state.escalated },
    ]);
  }

  function snapshot() {
    return { state, ticket, thresholds, workflowId, runId, at: new Date().toISOString() };
  }

  async function publish(): Promise<void> {
    dirty = false;
    state.version += 1;
    searchAttributes();
    await recordCase(snapshot());
  }

  await publish();
  state.classification = await classifyTicket({ subject: ticket.subject, body: ticket.body });
  // Asked after classifying, so a mode that changed meanwhile is the one the route uses.
  // Runs started before the patch asked through a regular activity and replay that way.
  applyMode(patched(CURRENT_MODE_LOCAL) ? await currentModeLocal() : await currentMode());
  reroute();
  await publish();

  const reviewStartedAt = Date.now();
  while (state.route !== 'auto' && !inbox.received) {
    const result = await awaitReview(inbox, {
      ...reviewTimeouts,
      startedAt: reviewStartedAt,
      escalated: state.escalated,
      timedOut,
      interrupted: () => dirty,
      onEscalated: async () => {
        state.escalated = true;
        state.status = state.status === 'manual' || state.status === 'awaiting_review' ? 'escalated' : state.status;
        log.info('review escalated', { caseId: state.caseId });
        await publish();
      },
      onTimedOut: async () => {
        timedOut = true;
        reroute();
        log.info('review timed out: case moved to the manual queue', { caseId: state.caseId });
        await publish();
      },
    });
    if (result === 'interrupted') await publish();
  }

  const c = state.classification;
  const review = inbox.received?.review ?? null;
  const outcome: Outcome = review ? OUTCOME_OF_REVIEW[review.decision] : 'auto_decided';
  const decision: DecisionRecord = {
    caseId: state.caseId,
    outcome,
    finalCategory: outcome === 'rejected' ? null : outcome === 'corrected' ? review!.category! : c.category,
    route: state.route!,
    routeReason: state.routeReason!,
    mode: state.mode,
    thresholds,
    classification: c,
    reviewer: review?.reviewer ?? null,
    comment: review?.comment ?? null,
    escalated: state.escalated,
    decidedAt: new Date().toISOString(),
  };
  state.decision = decision;
  state.status = 'decided';
  state.version += 1;
  searchAttributes();
  if (decision.finalCategory) upsertSearchAttributes([{ key: SA.CaseCategory, value: decision.finalCategory }]);
  await recordDecision({ snapshot: snapshot(), decision });
  recorded = true;
  await condition(allHandlersFinished);
  return decision;
}
