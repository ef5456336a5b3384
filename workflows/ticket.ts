// A support ticket as a durable case: classify, route by confidence and mode, wait for a human
// when the policy says so, record the decision. The history of this workflow is the audit trail.
import {
  allHandlersFinished,
  condition,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  setWorkflowOptions,
  workflowInfo,
} from '@temporalio/workflow';
import type { CaseState, ReviewInput, ReviewTimeouts, RoutingDecision, Thresholds } from '../domain/case';
import { reviewRefusal } from '../domain/review';
import { routeCase } from '../domain/routing';
import { REVIEW_RULES_OF_KIND } from '../domain/kinds';
import type { Classification, TicketDecision, TicketInput } from '../domain/ticket/types';
import type { TicketActivities } from './activity-types';
import { CaseLifecycle } from './case-lifecycle';
import { CaseRecorder, currentMode } from './case-recording';
import { getCaseQuery, modeChangedSignal, reviewSignal, submitReviewUpdate } from './messages';
import { ReviewInbox, waitForCaseReview } from './review-inbox';

export interface TicketWorkflowInput {
  ticket: TicketInput;
  thresholds: Thresholds;
  reviewTimeouts: ReviewTimeouts;
  /**
   * Where the worker classifies: `local`, the committed model, in milliseconds (a local activity);
   * `remote`, an LLM behind a network call (a regular activity on the call-out task queue, with its
   * own timeout, retries and rate limit).
   */
  classifier: 'local' | 'remote';
  /** The task queue of the workers that call out (the LLM); absent: the case's own queue. */
  calloutTaskQueue?: string;
}

// Pure pattern matching on the worker: no round trip through the server; the result (rules
// version, rules fired) is recorded in history like any activity's.
const { matchCriticalRules } = proxyLocalActivities<TicketActivities>({ startToCloseTimeout: '10 seconds' });
// The committed model answers in milliseconds on the worker: no activity task.
const { classifyTicket: classifyTicketLocal } = proxyLocalActivities<TicketActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5 },
});

/** An LLM is a network call: a regular activity, where the workers that call out poll. */
function remoteClassifier(taskQueue: string | undefined): TicketActivities['classifyTicket'] {
  return proxyActivities<TicketActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { maximumAttempts: 5 },
    ...(taskQueue ? { taskQueue } : {}),
  }).classifyTicket;
}

// PINNED: a case runs to its end on the build it started on, however long it waits for a person.
// A new build may change this code freely; the old build's workers stay until its cases drain
// (docs/architecture.md, Worker Versioning).
setWorkflowOptions({ versioningBehavior: 'PINNED' }, ticketWorkflow);

export async function ticketWorkflow({
  ticket,
  thresholds,
  reviewTimeouts,
  classifier,
  calloutTaskQueue,
}: TicketWorkflowInput): Promise<TicketDecision> {
  const { workflowId, runId } = workflowInfo();
  const lifecycle: CaseLifecycle<Classification> = new CaseLifecycle<Classification>({
    caseId: workflowId,
    kind: 'ticket',
    thresholds,
    route: (classification, mode): RoutingDecision =>
      routeCase({ ...classification, mode, thresholds, critical: lifecycle.state.critical ?? null }),
  });
  const { state } = lifecycle;
  const { externalId, ...input } = ticket;

  const recorder = new CaseRecorder({
    lifecycle,
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
      const refused = { caseId: state.caseId, review, refusal: refusal.code, message: refusal.message, at };
      await recorder.recordRefusal({ ...refused, via: 'signal' });
    },
    settled: () => lifecycle.recorded,
    result: () => state,
  });
  setHandler(modeChangedSignal, (change) => lifecycle.hearMode(change));

  // The API has written the `processing` row already: the case is first recorded once routed.
  const critical = await matchCriticalRules({ subject: ticket.subject, body: ticket.body });
  if (critical) lifecycle.flag(critical);
  const classify = classifier === 'local' ? classifyTicketLocal : remoteClassifier(calloutTaskQueue);
  lifecycle.propose(await classify({ subject: ticket.subject, body: ticket.body }));
  // Asked after classifying, so a mode that changed meanwhile is the one the route uses.
  lifecycle.applyMode(await currentMode());
  lifecycle.reroute();
  await recorder.publishRouted();

  await waitForCaseReview({ lifecycle, inbox, timeouts: reviewTimeouts, publish: (how) => recorder.publish(how) });

  const decision = lifecycle.decide(inbox.received, new Date().toISOString());
  recorder.searchAttributes();
  await recorder.decide(decision);
  lifecycle.recorded = true;
  await condition(allHandlersFinished);
  return decision;
}
