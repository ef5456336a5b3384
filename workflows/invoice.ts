// An invoice as a durable case: read the stored PDF, find the vendor, match the purchase order,
// score fraud, then route by the findings and the mode: the agent approves alone only what is
// clean, matched, from a known vendor and under the limit; everything else waits for its
// approvers (four eyes above a limit), with escalation and a final timeout that moves it to the
// manual queue and never approves. The history of this workflow is the audit trail.
import { ActivityFailure } from '@temporalio/common';
import {
  allHandlersFinished,
  condition,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  setWorkflowOptions,
  workflowInfo,
} from '@temporalio/workflow';
import type { CaseState, DecisionRecord, ReviewInput, ReviewTimeouts, Thresholds } from '../domain/case';
import { SEPARATION_OF_DUTIES } from '../domain/failures';
import { approverRefusal } from '../domain/invoice/approval';
import { assessInvoice, routeInvoice, unreadableAssessment } from '../domain/invoice/assessment';
import type { InvoicePolicy } from '../domain/invoice/policy';
import type { InvoiceAssessment, InvoiceInput } from '../domain/invoice/types';
import { REVIEW_RULES_OF_KIND } from '../domain/kinds';
import { reviewRefusal, type ReviewRefusal } from '../domain/review';
import type { InvoiceActivities } from './activity-types';
import { CaseLifecycle } from './case-lifecycle';
import { CaseRecorder, currentMode } from './case-recording';
import { invoiceSearchAttributes } from './invoice-search-attributes';
import { getCaseQuery, modeChangedSignal, reviewSignal, submitReviewUpdate } from './messages';
import { ReviewInbox, waitForCaseReview } from './review-inbox';

export interface InvoiceWorkflowInput {
  invoice: InvoiceInput;
  policy: InvoicePolicy;
  thresholds: Thresholds;
  reviewTimeouts: ReviewTimeouts;
}

// PDF reading can take a while and a worker may die under it: heartbeats let another worker take
// over within seconds. Bounded: a document that keeps failing goes to a person, not round in circles.
const { extractInvoice } = proxyActivities<InvoiceActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '5 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', maximumAttempts: 10 },
});
// Reads and writes of our own PostgreSQL: an outage delays the case, it never decides it.
const { matchPurchaseOrder, scoreFraud, settleInvoice } = proxyActivities<InvoiceActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
// A one-row lookup: no round trip through the server.
const { findVendor } = proxyLocalActivities<InvoiceActivities>({ startToCloseTimeout: '10 seconds' });

// PINNED: a case runs to its end on the build it started on, however long it waits for a person.
// A new build may change this code freely; the old build's workers stay until its cases drain
// (docs/architecture.md, Worker Versioning).
setWorkflowOptions({ versioningBehavior: 'PINNED' }, invoiceWorkflow);

export async function invoiceWorkflow({
  invoice,
  policy,
  thresholds,
  reviewTimeouts,
}: InvoiceWorkflowInput): Promise<DecisionRecord<InvoiceAssessment>> {
  const { workflowId: caseId, runId } = workflowInfo();
  const lifecycle = new CaseLifecycle<InvoiceAssessment>({
    caseId,
    kind: 'invoice',
    thresholds,
    route: (assessment, mode) => routeInvoice(assessment, mode, policy),
    // An approval means "pay", whoever gives it and whatever the agent proposed.
    finalCategory: (outcome) => (outcome === 'approved' || outcome === 'auto_decided' ? 'pay' : null),
  });
  const { state } = lifecycle;
  const { externalId, ...input } = invoice;
  const recorder = new CaseRecorder({
    lifecycle,
    kindSearchAttributes: () => invoiceSearchAttributes(state.suggestion, state.suggestionVisible),
    snapshot: () => ({
      state,
      externalId,
      input,
      receivedAt: invoice.receivedAt,
      thresholds,
      workflowId: caseId,
      runId,
      at: new Date().toISOString(),
    }),
  });

  /** Separation of duties: the submitter never approves; nobody gives two of the approvals. */
  const dutiesRefusal = (review: ReviewInput): ReviewRefusal | null => {
    if (review.decision !== 'approve') return null;
    const approvedBy = (state.approvals ?? []).map((approval) => approval.reviewer);
    const why = approverRefusal(review.reviewer, invoice.submittedBy, approvedBy);
    return why ? { code: SEPARATION_OF_DUTIES, message: why } : null;
  };

  // Handlers first: signals and updates that arrive before the first await are not lost.
  setHandler(getCaseQuery, () => state);
  const inbox = new ReviewInbox<ReviewInput, CaseState>({
    update: submitReviewUpdate,
    signal: reviewSignal,
    refusal: (review) => reviewRefusal(state, review, REVIEW_RULES_OF_KIND.invoice) ?? dutiesRefusal(review),
    onRefusedSignal: async (review, refusal) => {
      const at = new Date().toISOString();
      lifecycle.refuse(review, refusal, at);
      const refused = { caseId, review, refusal: refusal.code, message: refusal.message, at };
      await recorder.recordRefusal({ ...refused, via: 'signal' });
    },
    settled: () => lifecycle.recorded,
    result: () => state,
    accept: (review, via, at) => {
      if (review.decision !== 'approve') return { complete: true };
      const version = lifecycle.addApproval({ reviewer: review.reviewer, comment: review.comment ?? null, via, at });
      const needed = state.suggestion?.approvers.count ?? 1;
      return state.approvals!.length >= needed ? { complete: true } : { complete: false, version };
    },
    recorded: (version) => lifecycle.recordedVersion >= version,
  });
  setHandler(modeChangedSignal, (change) => lifecycle.hearMode(change));

  async function assess(): Promise<InvoiceAssessment> {
    const unreadable = { vendorId: invoice.vendorId, poNumber: invoice.poNumber };
    if (!invoice.document.hasTextLayer) {
      const problem = 'the PDF has no text layer (a scan?): a person reads it';
      return unreadableAssessment({ ...unreadable, reason: 'no_text_layer', problem });
    }
    let extraction;
    try {
      extraction = await extractInvoice({ caseId });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const problem = `the document could not be read: ${err.cause?.message ?? err.message}`;
      return unreadableAssessment({ ...unreadable, reason: 'extraction_failed', problem });
    }
    const { text, ...kept } = extraction;
    const { facts } = kept;
    const vendorId = invoice.vendorId ?? (await findVendor({ taxId: facts.vendorTaxId, name: facts.vendorName }));
    const { match, poIssuedOn } = await matchPurchaseOrder({
      poNumber: facts.poNumber ?? invoice.poNumber,
      vendorId,
      currency: facts.currency,
      lines: facts.lines,
      tolerances: policy.tolerances,
    });
    const at = new Date().toISOString();
    const fraud = await scoreFraud({ caseId, vendorId, facts, text, poIssuedOn, policy, at });
    return assessInvoice({ extraction: kept, vendorId, match, fraud, policy, submittedPoNumber: invoice.poNumber });
  }

  // The API has written the `processing` row already: the case is first recorded once routed.
  lifecycle.propose(await assess());
  // Asked after the checks, so a mode that changed meanwhile is the one the route uses.
  lifecycle.applyMode(await currentMode());
  lifecycle.reroute();
  await recorder.publishRouted();

  await waitForCaseReview({ lifecycle, inbox, timeouts: reviewTimeouts, publish: (how) => recorder.publish(how) });

  const decision = lifecycle.decide(inbox.received, new Date().toISOString());
  recorder.searchAttributes();
  await recorder.decide(decision);
  const { match, invoice: facts } = decision.suggestion;
  await settleInvoice({
    caseId,
    outcome: decision.outcome,
    poNumber: match.status === 'matched' ? match.poNumber : null,
    lines: match.lines.flatMap((line) =>
      line.poLineNo === null ? [] : [{ poLineNo: line.poLineNo, quantity: facts.lines[line.invoiceLine - 1].quantity }],
    ),
  });
  lifecycle.recorded = true;
  await condition(allHandlersFinished);
  return decision;
}
