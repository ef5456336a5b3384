// Use cases for tickets and reviews: start a case idempotently, read it, list the queue, and
// pass a review to its workflow. Routes call these; Temporal and SQL details stay here.
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import type { Knex } from 'knex';
import {
  decodeCursor,
  getCase,
  insertPendingCase,
  listCases,
  recordRefusedReview,
  type CasePage,
} from '../../db/cases';
import type {
  CaseStatus,
  CaseView,
  ModeState,
  ReviewInput,
  ReviewTimeouts,
  TicketInput,
  Thresholds,
} from '../../domain/types';
import { submitReviewUpdate, ticketWorkflowId } from '../../workflows/messages';
import type { ticketWorkflow } from '../../workflows/ticket';
import { ApiError, notFound } from '../errors';
import type { TicketBody } from '../schemas';

export interface CaseServiceDeps {
  client: Client;
  db: Knex;
  taskQueue: string;
  thresholds: Thresholds;
  reviewTimeouts: ReviewTimeouts;
  /** The mode as this process last heard it: only for the provisional row, the workflow asks itself. */
  modes: { readonly mode: ModeState };
}

export interface StartedCase {
  created: boolean;
  caseId: string;
  status: CaseStatus;
}

export class CaseService {
  constructor(private readonly d: CaseServiceDeps) {}

  async startTicket(body: TicketBody): Promise<StartedCase> {
    const caseId = ticketWorkflowId(body.externalId);
    const ticket: TicketInput = { ...body, receivedAt: new Date().toISOString() };
    try {
      const handle = await this.d.client.workflow.start<typeof ticketWorkflow>('ticketWorkflow', {
        workflowId: caseId,
        taskQueue: this.d.taskQueue,
        args: [{ ticket, thresholds: this.d.thresholds, reviewTimeouts: this.d.reviewTimeouts }],
        // The business key is the workflow id: a second start, even after the case closed, is refused.
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      await insertPendingCase(this.d.db, caseId, handle.firstExecutionRunId, ticket, this.d.modes.mode.mode);
      return { created: true, caseId, status: 'processing' };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      const existing = await getCase(this.d.db, caseId);
      return { created: false, caseId, status: existing?.status ?? 'processing' };
    }
  }

  async get(caseId: string): Promise<CaseView> {
    const found = await getCase(this.d.db, caseId);
    if (!found) throw notFound(`case ${caseId}`);
    return found;
  }

  async list(q: { status?: CaseStatus; limit: number; cursor?: string }): Promise<CasePage> {
    const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
    if (cursor === null)
      throw new ApiError(400, 'invalid_request', 'cursor: is not a cursor this API returned', 'cursor');
    return listCases(this.d.db, { status: q.status, limit: q.limit, cursor });
  }

  async review(caseId: string, review: ReviewInput): Promise<CaseView> {
    const current = await this.get(caseId);
    try {
      await this.d.client.workflow.getHandle(current.workflowId).executeUpdate(submitReviewUpdate, { args: [review] });
    } catch (err) {
      const refusal = refusalOf(err, current);
      if (!refusal) throw err;
      // A refused Update leaves no trace in history: the refusal is kept for the audit trail here.
      await recordRefusedReview(this.d.db, caseId, review, refusal.code, refusal.message);
      throw refusal;
    }
    return this.get(caseId);
  }
}

function refusalOf(err: unknown, current: CaseView): ApiError | null {
  if (err instanceof WorkflowNotFoundError) {
    return new ApiError(409, 'not_awaiting_review', `case ${current.caseId} is ${current.status}, not awaiting review`);
  }
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    if (err.cause.type === 'not_awaiting_review') return new ApiError(409, 'not_awaiting_review', err.cause.message);
    if (err.cause.type === 'invalid_review') return new ApiError(422, 'invalid_review', err.cause.message);
  }
  return null;
}
