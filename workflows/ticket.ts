// A support ticket as a durable case: classify, route by confidence and mode, wait for a human
// when the policy says so, record the decision. The history of this workflow is the audit trail.
import {
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { CaseState, ReviewInput, ReviewTimeouts, RoutingDecision, Thresholds } from '../domain/case';
import { reviewRefusal } from '../domain/review';
import { routeCase } from '../domain/routing';
import { REVIEW_RULES_OF_KIND } from '../domain/kinds';
import type { Classification, TicketDecision, TicketInput } from '../domain/ticket/types';
import type { TicketActivities } from './activity-types';
import { CaseLifecycle } from './case-lifecycle';
import { CaseRecorder, currentMode, currentModeLocal, STEPS_IN_ONE_TASK } from './case-recording';
import { getCaseQuery, modeChangedSignal, reviewSignal, submitReviewUpdate } from './messages';
import { ReviewInbox, waitForCaseReview } from './review-inbox';
import * as SA from './search-attributes';

export interface TicketWorkflowInput {
  ticket: TicketInput;
  thresholds: Thresholds;
  reviewTimeouts: ReviewTimeouts;
  /**
   * Where the worker classifies: `local`, the committed model, in milliseconds (a local activity);
   * `remote`, an LLM behind a network call (a regular activity, its own timeout and retries).
   * Absent in runs started before it existed: remote.
   */
  classifier?: 'local' | 'remote';
}

const { classifyTicket } = proxyActivities<TicketActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5 },
});
// Pure pattern matching on the worker: no round trip through the server; the result (rules
// version, rules fired) is recorded in history like any activity's.
const { matchCriticalRules } = proxyLocalActivities<TicketActivities>({ startToCloseTimeout: '10 seconds' });
// The committed model answers in milliseconds on the worker: the same call, no activity task.
const { classifyTicket: classifyTicketLocal } = proxyLocalActivities<TicketActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5 },
});

/** Patch ids: one per change to the command sequence of running workflows. Never reuse one. */
const CURRENT_MODE_LOCAL = 'current-mode-local-activity';
/** CaseCategory follows the decision (final category, none when rejected) in one upsert. */
const CURRENT_CATEGORY_SEARCH_ATTRIBUTE = 'current-category-search-attribute';
/** A refused review signal is also written to review_attempts, by an activity. */
const RECORD_REFUSED_SIGNALS = 'record-refused-signals';
/** A relaxed mode no longer takes a case away from the people it was sent to. */
const PEOPLE_KEEP_THEIR_CASES = 'people-keep-their-cases';
/** Critical rules are matched (and recorded) before the route: safe mode and rule/model disagreement. */
const CRITICAL_RULES = 'critical-rules';
/**
 * The case is first recorded once it is routed: the API has already written its `processing`
 * row, so the write before classifying repeated it (one server round trip per case, issue 11).
 */
const FIRST_RECORD_WHEN_ROUTED = 'first-record-when-routed';

export async function ticketWorkflow({
  ticket,
  thresholds,
  reviewTimeouts,
  classifier,
}: TicketWorkflowInput): Promise<TicketDecision> {
  const { workflowId, runId } = workflowInfo();
  // First of all patches (see STEPS_IN_ONE_TASK). A run that has it implies every earlier patch;
  // runs from before ask each one where they always did, and replay as they ran.
  const inOneTask = patched(STEPS_IN_ONE_TASK);
  const since = (patchId: string) => inOneTask || patched(patchId);
  const lifecycle: CaseLifecycle<Classification> = new CaseLifecycle<Classification>({
    caseId: workflowId,
    kind: 'ticket',
    thresholds,
    route: (classification, mode): RoutingDecision =>
      routeCase({ ...classification, mode, thresholds, critical: lifecycle.state.critical ?? null }),
    keepsCasesWithPeople: () => since(PEOPLE_KEEP_THEIR_CASES),
  });
  const { state } = lifecycle;
  const { externalId, ...input } = ticket;

  const legacySearchAttributes = !since(CURRENT_CATEGORY_SEARCH_ATTRIBUTE);
  const recorder = new CaseRecorder({
    lifecycle,
    legacySearchAttributes,
    snapshot: () => ({
      state,
      externalId,
      input,
      receivedAt: ticket.receivedAt,
      thresholds,
      workflowId,
      runId,
      at: new Date().toISOString(),
    }),
  });

  // Handlers first: signals and updates that arrive before the first await are not lost.
  setHandler(getCaseQuery, () => state);
  const inbox = new ReviewInbox<ReviewInput, CaseState>({
    update: submitReviewUpdate,
    signal: reviewSignal,
    refusal: (review) => reviewRefusal(state, review, REVIEW_RULES_OF_KIND.ticket),
    onRefusedSignal: async (review, refusal) => {
      const at = new Date().toISOString();
      lifecycle.refuse(review, refusal, at);
      if (!since(RECORD_REFUSED_SIGNALS)) return;
      const refused = { caseId: state.caseId, review, refusal: refusal.code, message: refusal.message, at };
      await recorder.recordRefusal({ ...refused, via: 'signal' });
    },
    settled: () => lifecycle.recorded,
    result: () => state,
  });
  setHandler(modeChangedSignal, (change) => lifecycle.hearMode(change));

  const publish = (how?: { local: boolean }) => recorder.publish(how);

  if (!since(FIRST_RECORD_WHEN_ROUTED)) await publish();
  if (since(CRITICAL_RULES)) {
    const critical = await matchCriticalRules({ subject: ticket.subject, body: ticket.body });
    if (critical) lifecycle.flag(critical);
  }
  const classify = inOneTask && classifier === 'local' ? classifyTicketLocal : classifyTicket;
  lifecycle.propose(await classify({ subject: ticket.subject, body: ticket.body }));
  // Asked after classifying, so a mode that changed meanwhile is the one the route uses.
  // Runs started before the patch asked through a regular activity and replay that way.
  lifecycle.applyMode(since(CURRENT_MODE_LOCAL) ? await currentModeLocal() : await currentMode());
  lifecycle.reroute();
  await recorder.publishRouted(inOneTask);

  await waitForCaseReview({ lifecycle, inbox, timeouts: reviewTimeouts, publish, changesInOneTask: inOneTask });

  const decision = lifecycle.decide(inbox.received, new Date().toISOString());
  recorder.searchAttributes();
  if (legacySearchAttributes && decision.finalCategory) {
    upsertSearchAttributes([{ key: SA.CaseCategory, value: decision.finalCategory }]);
  }
  await recorder.decide(decision);
  lifecycle.recorded = true;
  await condition(allHandlersFinished);
  return decision;
}
