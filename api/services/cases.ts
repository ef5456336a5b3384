// Use cases for cases of any kind: start one idempotently, read it, list the queue, and pass a
// review to its workflow. Routes call these; Temporal and SQL details stay here.
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import type { Knex } from 'knex';
import {
  closeAudit,
  decodeCursor,
  getCase,
  insertPendingCase,
  listCases,
  listRefusedReviews,
  recordRefusedReview,
  type CaseRecord,
  type RefusedReviewView,
} from '../../db/cases';
import {
  caseIdFor,
  parseCaseId,
  type CaseKind,
  type CaseStatus,
  type ModeState,
  type ReviewInput,
  type ReviewTimeouts,
  type Thresholds,
} from '../../domain/case';
import { INVALID_REVIEW, NOT_AWAITING_REVIEW, SEPARATION_OF_DUTIES } from '../../domain/failures';
import { CATEGORIES_OF_KIND, REVIEW_RULES_OF_KIND } from '../../domain/kinds';
import { auditVerdict, type OutcomeRecord } from '../../domain/outcomes';
import { findOutcome, insertOutcome, listOutcomes } from '../../db/outcomes';
import { describeProblem, reviewProblem } from '../../domain/review';
import type { TicketInput } from '../../domain/ticket/types';
import { submitReviewUpdate } from '../../workflows/messages';
import { CaseKind as CaseKindAttribute } from '../../workflows/search-attributes';
import type { ticketWorkflow, TicketWorkflowInput } from '../../workflows/ticket';
import type { invoiceWorkflow } from '../../workflows/invoice';
import { forgetDocument, getDocument, getDocumentFacts, storeDocument } from '../../db/invoices';
import type { InvoicePolicy } from '../../domain/invoice/policy';
import type { InvoiceInput } from '../../domain/invoice/types';
import { checkInvoicePdf } from '../../extraction/pdf-intake';
import { ApiError, isUnavailable, notFound } from '../errors';
import { FINGERPRINT_MEMO_KEY, requestFingerprint } from '../idempotency';
import type { CaseListQuery, FeedbackBody, InvoiceForm, TicketBody } from '../schemas';
import { toCaseView, type CaseView } from '../views/case-view';

export interface CaseServiceDeps {
  client: Client;
  db: Knex;
  taskQueue: string;
  thresholds: Thresholds;
  reviewTimeouts: ReviewTimeouts;
  /** How long a review waits for a worker to apply it before the API answers 503. */
  reviewDeadlineMs: number;
  /** The mode as this process last heard it: only for the provisional row, the workflow asks itself. */
  modes: { readonly mode: ModeState };
  invoicePolicy: InvoicePolicy;
  /** Largest invoice PDF taken, in bytes. */
  invoiceMaxBytes: number;
  /** Where tickets are classified: the committed model on the worker, or a remote LLM (the default). */
  classifier?: TicketWorkflowInput['classifier'];
  calloutTaskQueue?: string;
}

export interface StartedCase {
  created: boolean;
  caseId: string;
  status: CaseStatus;
  /** An invoice whose very bytes, from the same vendor, are already a case: that case. */
  duplicateOf?: string;
  /** The case's workflow run, when known (for the logs). */
  runId?: string | null;
}

export interface CasePage {
  items: CaseView[];
  nextCursor: string | null;
}

interface CaseStart {
  kind: CaseKind;
  externalId: string;
  /** The request as the client sent it: a repeat must match it to get the same case. */
  request: unknown;
  workflowType: string;
  args: unknown[];
  /** The kind's input as the case row keeps it. */
  input: Record<string, unknown>;
  receivedAt: string;
}

export class CaseService {
  constructor(private readonly deps: CaseServiceDeps) {}

  startTicket(body: TicketBody): Promise<StartedCase> {
    const ticket: TicketInput = { ...body, receivedAt: new Date().toISOString() };
    const { externalId, ...input } = ticket;
    const { thresholds, reviewTimeouts, classifier = 'remote', calloutTaskQueue } = this.deps;
    const args: Parameters<typeof ticketWorkflow> = [
      { ticket, thresholds, reviewTimeouts, classifier, ...(calloutTaskQueue ? { calloutTaskQueue } : {}) },
    ];
    return this.start({
      kind: 'ticket',
      externalId,
      request: body,
      workflowType: 'ticketWorkflow',
      args,
      input,
      receivedAt: ticket.receivedAt,
    });
  }

  /**
   * Takes an invoice PDF in: checked before anything is stored (not a PDF, encrypted, broken, too
   * large: 4xx), stored, then started as a workflow. The same bytes from the same vendor under
   * another external id are the first case, counted as a duplicate submission; the same external
   * id with the same form and bytes is the same case.
   */
  async startInvoice(form: InvoiceForm, bytes: Uint8Array): Promise<StartedCase> {
    const checked = await checkInvoicePdf(bytes, this.deps.invoiceMaxBytes);
    if (!checked.ok) throw new ApiError(checked.status, checked.code, `file: ${checked.message}`, 'file');
    const caseId = caseIdFor('invoice', form.externalId);
    const document = {
      sha256: checked.sha256,
      bytes: checked.bytes,
      pages: checked.pages,
      hasTextLayer: checked.hasTextLayer,
    };
    const invoice: InvoiceInput = {
      externalId: form.externalId,
      vendorId: form.vendorId ?? null,
      poNumber: form.poNumber ?? null,
      submittedBy: form.submittedBy ?? null,
      receivedAt: new Date().toISOString(),
      document,
    };
    const stored = await storeDocument(this.deps.db, {
      caseId,
      sha256: checked.sha256,
      vendorId: invoice.vendorId,
      content: bytes,
      pages: checked.pages,
      hasTextLayer: checked.hasTextLayer,
      submittedBy: invoice.submittedBy,
      at: invoice.receivedAt,
    });
    if (!stored.stored) {
      const first = await getCase(this.deps.db, stored.duplicateOf);
      return {
        created: false,
        caseId: stored.duplicateOf,
        status: first?.status ?? 'processing',
        duplicateOf: stored.duplicateOf,
      };
    }
    const { externalId, ...input } = invoice;
    const { invoicePolicy: policy, thresholds, reviewTimeouts } = this.deps;
    const args: Parameters<typeof invoiceWorkflow> = [{ invoice, policy, thresholds, reviewTimeouts }];
    try {
      return await this.start({
        kind: 'invoice',
        externalId,
        request: { ...form, sha256: checked.sha256 },
        workflowType: 'invoiceWorkflow',
        args,
        input,
        receivedAt: invoice.receivedAt,
      });
    } catch (err) {
      // Not started: the document goes too, so that a retry is not taken for a duplicate.
      if (stored.inserted) await forgetDocument(this.deps.db, caseId).catch(() => undefined);
      throw err;
    }
  }

  /** The PDF of an invoice case, for reviewers. */
  async document(caseId: string): Promise<{ content: Buffer; sha256: string }> {
    const found = await getDocument(this.deps.db, caseId);
    if (!found) throw notFound(`document of case ${caseId}`);
    return found;
  }

  /** One case, with the reviews it refused (through the API or as Web UI signals). */
  async get(
    caseId: string,
  ): Promise<
    CaseView & { refusedReviews: RefusedReviewView[]; outcomes: OutcomeRecord[]; duplicateSubmissions?: number }
  > {
    const found = await getCase(this.deps.db, caseId);
    if (!found) throw notFound(`case ${caseId}`);
    const [refusedReviews, outcomes, document] = await Promise.all([
      listRefusedReviews(this.deps.db, caseId),
      listOutcomes(this.deps.db, caseId),
      found.kind === 'invoice' ? getDocumentFacts(this.deps.db, caseId) : null,
    ]);
    return {
      ...toCaseView(found),
      refusedReviews,
      outcomes,
      // The same bytes from the same vendor sent again, under another external id.
      ...(document ? { duplicateSubmissions: document.duplicateSubmissions } : {}),
    };
  }

  async list(query: CaseListQuery): Promise<CasePage> {
    const cursor = query.cursor ? decodeCursor(query.cursor, query.order) : undefined;
    if (cursor === null)
      throw new ApiError(400, 'invalid_request', 'cursor: is not a cursor this API returned', 'cursor');
    const page = await listCases(this.deps.db, { ...query, status: query.status as CaseStatus[] | undefined, cursor });
    return { items: page.items.map(toCaseView), nextCursor: page.nextCursor };
  }

  /** Reviews a case by its id (a valid case id: the route has parsed it). */
  /**
   * Passes a review to the case's workflow and answers with the decided case. The Update's id is
   * derived from the case, the sender and the review, so a client that retries the same review
   * (after a 503: no worker answered in time) has it applied once.
   */
  async review(caseId: string, review: ReviewInput, sender: string): Promise<CaseView> {
    // The case id names the kind, and so the categories a correction may choose; the workflow
    // checks the same rule again.
    const problem = reviewProblem(review, REVIEW_RULES_OF_KIND[parseCaseId(caseId)!.kind]);
    if (problem) throw new ApiError(400, 'invalid_request', describeProblem(problem), problem.field ?? undefined);
    const current = await getCase(this.deps.db, caseId);
    if (!current) throw notFound(`case ${caseId}`);
    if (current.status === 'audit') return this.audit(current, review);
    const handle = this.deps.client.workflow.getHandle(current.workflowId);
    const updateId = `review-${requestFingerprint({ caseId, sender, review }).slice(0, 32)}`;
    try {
      await this.deps.client.withDeadline(Date.now() + this.deps.reviewDeadlineMs, () =>
        handle.executeUpdate(submitReviewUpdate, { args: [review], updateId }),
      );
    } catch (err) {
      if (isDeadlineExceeded(err)) {
        throw new ApiError(
          503,
          'review_not_confirmed',
          `no worker confirmed the review within ${this.deps.reviewDeadlineMs} ms: it may still be applied when ` +
            'a worker answers. Retry the same request (it is applied once) or read the case.',
        );
      }
      const refusal = refusalOf(err, current);
      if (!refusal) throw err;
      // A refused Update leaves no trace in history: the refusal is kept for the audit trail here.
      await recordRefusedReview(this.deps.db, {
        caseId,
        review,
        refusal: refusal.code,
        message: refusal.message,
        via: 'api',
      });
      throw refusal;
    }
    return this.get(caseId);
  }

  /**
   * The provisional row for a case just started. PostgreSQL is the second guard of the business
   * key: a row from another run means Temporal had lost the case (its state was reset, or the case
   * ran on another cluster), so the run just started is stopped again and the client told why.
   * A database outage here does not fail the request: the case is started and records itself.
   */
  private async insertPendingRow(start: CaseStart, caseId: string, runId: string, stopRun: () => Promise<unknown>) {
    const pending = { caseId, runId, kind: start.kind, externalId: start.externalId, input: start.input };
    let inserted: boolean;
    try {
      inserted = await insertPendingCase(this.deps.db, {
        ...pending,
        receivedAt: start.receivedAt,
        mode: this.deps.modes.mode.mode,
      });
    } catch (err) {
      if (!isUnavailable(err)) throw err;
      return;
    }
    if (inserted) return;
    const existing = await getCase(this.deps.db, caseId);
    if (!existing?.runId || existing.runId === runId) return; // the workflow's own first write won the race
    await stopRun();
    throw new ApiError(
      409,
      'case_without_workflow',
      `case ${caseId} is recorded in PostgreSQL (run ${existing.runId}, ${existing.status}) but Temporal has no ` +
        "workflow for it: Temporal's state was lost or the case ran elsewhere. It was not started again; restore " +
        "Temporal's state or ask ops to resolve the case.",
      'externalId',
    );
  }

  /**
   * An audit of an automatic decision: the decision stands (its workflow has finished); the
   * reviewer's verdict is a finding on the agent's proposal, and the case is `decided` again.
   */
  private async audit(found: CaseRecord, review: ReviewInput): Promise<CaseView> {
    const verdict = auditVerdict(review, decidedBy(found).category);
    const finding = findingOn(found, {
      source: 'audit',
      foundBy: review.reviewer,
      comment: review.comment,
      ...verdict,
    });
    if (!(await closeAudit(this.deps.db, finding))) {
      throw new ApiError(409, NOT_AWAITING_REVIEW, `case ${found.caseId} was audited meanwhile`);
    }
    return this.get(found.caseId);
  }

  /**
   * A downstream verdict on a decided case: an outcome the error budget counts (where the agent
   * decided alone). Once per case and source: the same verdict again answers the first one.
   */
  async feedback(caseId: string, body: FeedbackBody): Promise<{ created: boolean; outcome: OutcomeRecord }> {
    const found = await getCase(this.deps.db, caseId);
    if (!found) throw notFound(`case ${caseId}`);
    const { decision, suggestion } = found;
    if (!decision || !suggestion || !found.route) {
      throw new ApiError(409, 'not_decided', `case ${caseId} is ${found.status}: feedback is for decided cases`);
    }
    if (body.category && !CATEGORIES_OF_KIND[found.kind].includes(body.category)) {
      throw new ApiError(
        400,
        'invalid_request',
        `category: must be one of ${CATEGORIES_OF_KIND[found.kind].join(', ')}`,
        'category',
      );
    }
    const outcome = findingOn(found, {
      source: 'feedback',
      foundBy: body.source,
      verdict: body.verdict,
      actualCategory: body.verdict === 'right' ? decision.finalCategory : (body.category ?? null),
      comment: body.comment,
    });
    if (await insertOutcome(this.deps.db, outcome)) return { created: true, outcome };
    const first = (await findOutcome(this.deps.db, outcome))!;
    if (first.verdict !== outcome.verdict || first.actualCategory !== outcome.actualCategory) {
      throw new ApiError(
        409,
        'feedback_conflict',
        `${body.source} already said '${first.verdict}' about case ${caseId}; one verdict per source`,
        'source',
      );
    }
    return { created: false, outcome: first };
  }

  /** Starts the case's workflow once: its id is the business key, so a repeat finds the same case. */
  private async start(start: CaseStart): Promise<StartedCase> {
    const caseId = caseIdFor(start.kind, start.externalId);
    const fingerprint = requestFingerprint(start.request);
    try {
      const handle = await this.deps.client.workflow.start(start.workflowType, {
        workflowId: caseId,
        taskQueue: this.deps.taskQueue,
        args: start.args,
        memo: { [FINGERPRINT_MEMO_KEY]: fingerprint },
        // Visible to the mode broadcast from the first moment, before the workflow has run.
        typedSearchAttributes: [{ key: CaseKindAttribute, value: start.kind }],
        // A second start, even after the case closed, is refused.
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      await this.insertPendingRow(start, caseId, handle.firstExecutionRunId, () =>
        handle.terminate('not started again: the case is recorded with another workflow run'),
      );
      return { created: true, caseId, status: 'processing', runId: handle.firstExecutionRunId };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      const { memo } = await this.deps.client.workflow.getHandle(caseId).describe();
      const first = memo?.[FINGERPRINT_MEMO_KEY];
      // Cases started before fingerprints were kept have none: they count as the same request.
      if (typeof first === 'string' && first !== fingerprint) {
        throw new ApiError(
          409,
          'idempotency_conflict',
          `externalId ${start.externalId} was already used with a different request: ` +
            'send the same body to get that case, or use a new externalId',
          'externalId',
        );
      }
      const existing = await getCase(this.deps.db, caseId);
      return { created: false, caseId, status: existing?.status ?? 'processing', runId: existing?.runId ?? null };
    }
  }
}

const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_CANCELLED = 1;

/** The Update's deadline passed: nothing answered, which says nothing about the review itself. */
function isDeadlineExceeded(err: unknown): boolean {
  for (let cause = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; cause && depth < 4; depth++) {
    if (cause.code === GRPC_DEADLINE_EXCEEDED || cause.code === GRPC_CANCELLED) return true;
    cause = cause.cause as typeof cause;
  }
  return false;
}

/**
 * What made the automatic decision a finding judges: the model's proposal, or, when a critical
 * rule routed the case in safe mode, the rule (its team, its rules version, no doubt about it).
 */
function decidedBy(found: CaseRecord): { category: string; confidence: number; modelVersion: string } {
  if (found.routeReason === 'critical_rule' && found.critical) {
    return { category: found.critical.category, confidence: 1, modelVersion: found.critical.rulesVersion };
  }
  const suggestion = found.suggestion!;
  return { category: suggestion.category, confidence: suggestion.confidence, modelVersion: suggestion.modelVersion };
}

/** A finding on a decided case's automatic proposal (the model's or a critical rule's), as the case records it. */
function findingOn(
  found: CaseRecord,
  finding: Pick<OutcomeRecord, 'source' | 'foundBy' | 'verdict' | 'actualCategory'> & { comment?: string | null },
): OutcomeRecord {
  const proposal = decidedBy(found);
  return {
    ...finding,
    caseId: found.caseId,
    kind: found.kind,
    predictedCategory: proposal.category,
    confidence: proposal.confidence,
    route: found.route!,
    mode: found.mode,
    modelVersion: proposal.modelVersion,
    comment: finding.comment ?? null,
    at: new Date().toISOString(),
  };
}

function refusalOf(err: unknown, current: CaseRecord): ApiError | null {
  if (err instanceof WorkflowNotFoundError) {
    if (current.status === 'decided') {
      return new ApiError(409, NOT_AWAITING_REVIEW, `case ${current.caseId} is decided, not awaiting review`);
    }
    return new ApiError(
      409,
      'workflow_missing',
      `case ${current.caseId} is ${current.status} in PostgreSQL, but Temporal has no running workflow for it ` +
        "(its state was lost?): the review cannot be applied. Restore Temporal's state or ask ops to resolve the case.",
    );
  }
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    if (err.cause.type === NOT_AWAITING_REVIEW) return new ApiError(409, NOT_AWAITING_REVIEW, err.cause.message);
    if (err.cause.type === INVALID_REVIEW) return new ApiError(422, INVALID_REVIEW, err.cause.message);
    if (err.cause.type === SEPARATION_OF_DUTIES) return new ApiError(403, SEPARATION_OF_DUTIES, err.cause.message);
  }
  return null;
}
