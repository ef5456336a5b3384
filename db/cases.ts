// Queries for the cases aggregate, for every kind: the case row, its decision and refused review
// attempts. Every write here may be retried by Temporal, so each is an upsert guarded by a key or
// version. What is particular to a kind lives in the row's JSON parts (`input`, `details`).
import type { Knex } from 'knex';
import type {
  Approval,
  CaseKind,
  CaseStatus,
  CriticalFlag,
  DecisionRecord,
  DecisionSummary,
  Mode,
  Outcome,
  ReviewInput,
  Route,
  RouteReason,
  Suggestion,
  Thresholds,
} from '../domain/case';
import { outcomeOfReview, type OutcomeRecord } from '../domain/outcomes';
import type { CaseSnapshot } from '../workflows/activity-types';
import { insertOutcome } from './outcomes';

interface CaseRow {
  case_id: string;
  kind: CaseKind;
  external_id: string;
  workflow_id: string;
  run_id: string | null;
  status: CaseStatus;
  route: Route | null;
  route_reason: RouteReason | null;
  mode: Mode;
  suggested_category: string | null;
  confidence: number | null;
  suggestion_visible: boolean;
  escalated: boolean;
  model_version: string | null;
  details: Suggestion | null;
  critical: CriticalFlag | null;
  approvals: Approval[] | null;
  thresholds: Thresholds | null;
  input: Record<string, unknown>;
  outcome: Outcome | null;
  final_category: string | null;
  reviewer: string | null;
  version: number;
  problem: string | null;
  created_at: Date;
  updated_at: Date;
  decided_at: Date | null;
  comment?: string | null;
  via?: DecisionRecord['via'];
}

/** A case as stored, for any kind: the API turns it into what clients see. */
export interface CaseRecord {
  caseId: string;
  kind: CaseKind;
  externalId: string;
  workflowId: string;
  runId: string | null;
  status: CaseStatus;
  route: Route | null;
  routeReason: RouteReason | null;
  mode: Mode;
  suggestionVisible: boolean;
  escalated: boolean;
  modelVersion: string | null;
  /** The agent's proposal in the kind's own shape (a ticket's classification). */
  suggestion: Suggestion | null;
  /** The critical rule the case matched, beside the agent's proposal; null when none did. */
  critical: CriticalFlag | null;
  /** Approvals given so far where the case needs more than one; null where it does not. */
  approvals: Approval[] | null;
  thresholds: Thresholds | null;
  /** The kind's input, without the external id. */
  input: Record<string, unknown>;
  decision: DecisionSummary | null;
  /** Why the case could not be recorded as it was (then it waits in the manual queue). */
  problem: string | null;
  createdAt: string;
  updatedAt: string;
}

function snapshotRow(snapshot: CaseSnapshot): Omit<CaseRow, 'outcome' | 'final_category' | 'reviewer' | 'decided_at'> {
  const { state } = snapshot;
  const suggestion = state.suggestion;
  return {
    case_id: state.caseId,
    kind: state.kind,
    external_id: snapshot.externalId,
    workflow_id: snapshot.workflowId,
    run_id: snapshot.runId,
    status: state.status,
    route: state.route,
    route_reason: state.routeReason,
    mode: state.mode,
    suggested_category: suggestion?.category ?? null,
    confidence: suggestion?.confidence ?? null,
    suggestion_visible: state.suggestionVisible,
    escalated: state.escalated,
    model_version: suggestion?.modelVersion ?? null,
    details: suggestion,
    critical: state.critical ?? null,
    approvals: state.approvals ?? null,
    thresholds: snapshot.thresholds,
    input: snapshot.input,
    version: state.version,
    problem: state.problem ?? null,
    created_at: new Date(snapshot.receivedAt),
    updated_at: new Date(snapshot.at),
  };
}

const JSON_COLUMNS = ['details', 'critical', 'approvals', 'thresholds', 'input'] as const;

function forInsert<T extends Record<string, unknown>>(row: T): T {
  const out: Record<string, unknown> = { ...row };
  for (const column of JSON_COLUMNS) {
    if (column in out && out[column] !== null) out[column] = JSON.stringify(out[column]);
  }
  return out as T;
}

/**
 * Writes the case as of a workflow state; an older version never overwrites a newer one. The same
 * version does while the case is undecided: a local activity's write may be repeated by a retried
 * workflow task that heard more meanwhile, and the later write is the one its history keeps.
 * `decided`: the decision's columns, written in the same statement.
 */
export async function upsertCase(
  db: Knex,
  snapshot: CaseSnapshot,
  decided?: Pick<CaseRow, 'outcome' | 'final_category' | 'reviewer' | 'decided_at'> & { status: CaseStatus },
): Promise<void> {
  const row = forInsert({ ...snapshotRow(snapshot), ...decided });
  const { case_id: _id, created_at: _created, ...changes } = row;
  await db('cases')
    .insert(row)
    .onConflict('case_id')
    .merge(changes)
    .whereRaw('cases.version < ? OR (cases.version = ? AND cases.decided_at IS NULL)', [
      snapshot.state.version,
      snapshot.state.version,
    ]);
}

/**
 * Inserts the decision once and moves the case to decided, in one transaction. An automatic
 * decision drawn for an audit (`audit`) moves to `audit` instead: a reviewer's turn comes next.
 */
export async function recordDecision(
  db: Knex,
  snapshot: CaseSnapshot,
  decision: DecisionRecord,
  options: { audit?: boolean } = {},
): Promise<void> {
  // One transaction, two or three statements: the case row with its decision columns (a repeated
  // call finds the row at this version and leaves it), the decision, and the finding of a review.
  await db.transaction(async (trx) => {
    await upsertCase(trx, snapshot, {
      status: options.audit && decision.route === 'auto' ? 'audit' : snapshot.state.status,
      outcome: decision.outcome,
      final_category: decision.finalCategory,
      reviewer: decision.reviewer,
      decided_at: new Date(decision.decidedAt),
    });
    await trx('decisions')
      .insert({
        case_id: decision.caseId,
        outcome: decision.outcome,
        final_category: decision.finalCategory,
        route: decision.route,
        route_reason: decision.routeReason,
        mode: decision.mode,
        model_version: decision.suggestion.modelVersion,
        confidence: decision.suggestion.confidence,
        thresholds: JSON.stringify(decision.thresholds),
        reviewer: decision.reviewer,
        comment: decision.comment,
        escalated: decision.escalated,
        record: JSON.stringify(decision),
        decided_at: decision.decidedAt,
      })
      .onConflict('case_id')
      .ignore();
    // A reviewed case is also a finding on the agent's proposal, written with the decision.
    const outcome = outcomeOfReview(decision);
    if (outcome) await insertOutcome(trx, outcome);
  });
}

export interface PendingCase {
  caseId: string;
  kind: CaseKind;
  externalId: string;
  runId: string | null;
  /** The kind's input, without the external id. */
  input: Record<string, unknown>;
  receivedAt: string;
  mode: Mode;
}

/**
 * The row the API shows right after a start, before the workflow's first write arrives. False when
 * a row for the case was already there (the workflow wrote first, or the case is older than the run).
 */
export async function insertPendingCase(db: Knex, pending: PendingCase): Promise<boolean> {
  const received = new Date(pending.receivedAt);
  const inserted = await db('cases')
    .insert(
      forInsert({
        case_id: pending.caseId,
        kind: pending.kind,
        external_id: pending.externalId,
        workflow_id: pending.caseId, // a case's workflow id is its case id
        run_id: pending.runId,
        status: 'processing',
        mode: pending.mode,
        input: pending.input,
        version: 0,
        created_at: received,
        updated_at: received,
      }),
    )
    .onConflict('case_id')
    .ignore()
    .returning('case_id');
  return inserted.length > 0;
}

export interface RefusedReview {
  caseId: string;
  review: Partial<ReviewInput>;
  refusal: string;
  message: string;
  /** `api`: refused by the API or the workflow's Update validator; `signal`: a Web UI signal the workflow refused. */
  via: 'api' | 'signal';
  at?: string;
}

/** A refused review, for the audit trail. Signals are retried by their activity: keyed on case, time and payload. */
export async function recordRefusedReview(db: Knex, refused: RefusedReview): Promise<void> {
  // A refused payload can be anything a sender typed, even null or a bare string.
  const review: Partial<ReviewInput> =
    refused.review && typeof refused.review === 'object' && !Array.isArray(refused.review) ? refused.review : {};
  const row = {
    case_id: refused.caseId,
    reviewer: typeof review.reviewer === 'string' ? review.reviewer.slice(0, 200) : null,
    decision: typeof review.decision === 'string' ? review.decision.slice(0, 20) : null,
    refusal: refused.refusal.slice(0, 40),
    message: refused.message,
    payload: JSON.stringify(refused.review ?? null),
    via: refused.via,
    ...(refused.at ? { at: refused.at } : {}),
  };
  if (refused.at) {
    // A retried activity must not write the same refusal twice.
    const seen = await db('review_attempts')
      .where({ case_id: row.case_id, at: refused.at, via: row.via })
      .whereRaw('payload = ?::jsonb', [row.payload])
      .first();
    if (seen) return;
  }
  await db('review_attempts').insert(row);
}

export interface RefusedReviewView {
  reviewer: string | null;
  decision: string | null;
  refusal: string;
  message: string;
  via: 'api' | 'signal';
  at: string;
}

export async function listRefusedReviews(db: Knex, caseId: string): Promise<RefusedReviewView[]> {
  const rows = await db('review_attempts').where({ case_id: caseId }).orderBy('id');
  return rows.map((row) => ({
    reviewer: row.reviewer,
    decision: row.decision,
    refusal: row.refusal,
    message: row.message,
    via: row.via,
    at: new Date(row.at).toISOString(),
  }));
}

function toRecord(row: CaseRow): CaseRecord {
  return {
    caseId: row.case_id,
    kind: row.kind,
    externalId: row.external_id,
    workflowId: row.workflow_id,
    runId: row.run_id,
    status: row.status,
    route: row.route,
    routeReason: row.route_reason,
    mode: row.mode,
    suggestionVisible: row.suggestion_visible,
    escalated: row.escalated,
    modelVersion: row.model_version,
    suggestion: row.details,
    critical: row.critical ?? null,
    approvals: row.approvals ?? null,
    thresholds: row.thresholds,
    input: row.input,
    decision: row.outcome
      ? {
          outcome: row.outcome,
          finalCategory: row.final_category,
          reviewer: row.reviewer,
          comment: row.comment ?? null,
          via: row.via ?? null,
          decidedAt: row.decided_at!.toISOString(),
        }
      : null,
    problem: row.problem,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function selectCases(db: Knex) {
  return db('cases')
    .leftJoin('decisions', 'decisions.case_id', 'cases.case_id')
    .select('cases.*', 'decisions.comment', db.raw(`decisions.record->>'via' as via`));
}

export async function getCase(db: Knex, caseId: string): Promise<CaseRecord | null> {
  const row = await selectCases(db).where('cases.case_id', caseId).first();
  return row ? toRecord(row) : null;
}

export type CaseOrder = 'newest' | 'oldest' | 'riskiest';

/** Where a page ended, in the order it was read: the sort key of its last case. */
export interface CaseCursor {
  order: CaseOrder;
  /** The last case's confidence (riskiest order only; -1 for none). */
  confidence?: number;
  createdAt: string;
  caseId: string;
}

export interface CaseQuery {
  kind?: CaseKind;
  status?: CaseStatus[];
  /** The team the case is with now: the final category once decided, else the proposal. */
  category?: string;
  reason?: string;
  order?: CaseOrder;
  limit: number;
  cursor?: CaseCursor;
}

export interface CaseRecordPage {
  items: CaseRecord[];
  nextCursor: string | null;
}

const RISK = 'coalesce(cases.confidence, -1)';

/**
 * A page of cases, keyset-paginated so pages stay stable while cases arrive: newest or oldest
 * first on (created_at, case_id), riskiest first on (confidence, created_at, case_id), the least
 * sure proposals (and those without one) first.
 */
export async function listCases(db: Knex, query: CaseQuery): Promise<CaseRecordPage> {
  const order = query.order ?? 'newest';
  const direction = order === 'newest' ? 'desc' : 'asc';
  const select = selectCases(db).limit(query.limit + 1);
  if (order === 'riskiest') select.orderByRaw(`${RISK} asc`);
  select.orderBy([
    { column: 'cases.created_at', order: direction },
    { column: 'cases.case_id', order: direction },
  ]);
  if (query.kind) select.where('cases.kind', query.kind);
  if (query.status?.length) select.whereIn('cases.status', query.status);
  if (query.category) select.whereRaw('coalesce(cases.final_category, cases.suggested_category) = ?', [query.category]);
  if (query.reason) select.where('cases.route_reason', query.reason);
  const cursor = query.cursor;
  if (cursor) {
    const compare = direction === 'desc' ? '<' : '>';
    if (order === 'riskiest') {
      select.whereRaw(`(${RISK}, cases.created_at, cases.case_id) > (?, ?::timestamptz, ?)`, [
        cursor.confidence ?? -1,
        cursor.createdAt,
        cursor.caseId,
      ]);
    } else {
      select.whereRaw(`(cases.created_at, cases.case_id) ${compare} (?::timestamptz, ?)`, [
        cursor.createdAt,
        cursor.caseId,
      ]);
    }
  }
  const rows: CaseRow[] = await select;
  const items = rows.slice(0, query.limit).map(toRecord);
  const last = items[items.length - 1];
  const lastRow = rows[query.limit - 1];
  return {
    items,
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor({
            order,
            ...(order === 'riskiest'
              ? { confidence: lastRow.confidence === null ? -1 : Number(lastRow.confidence) }
              : {}),
            createdAt: last.createdAt,
            caseId: last.caseId,
          })
        : null,
  };
}

export function encodeCursor(cursor: CaseCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** The cursor a page returned, for the same order; null when it is not one (or another order's). */
export function decodeCursor(text: string, order: CaseOrder = 'newest'): CaseCursor | null {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    // Cursors from before the orders: [createdAt, caseId], newest first.
    const cursor = Array.isArray(parsed) ? { order: 'newest', createdAt: parsed[0], caseId: parsed[1] } : parsed;
    if (typeof cursor.createdAt !== 'string' || typeof cursor.caseId !== 'string' || cursor.order !== order)
      return null;
    const createdAt = new Date(cursor.createdAt);
    if (Number.isNaN(createdAt.getTime())) return null;
    if (cursor.confidence !== undefined && typeof cursor.confidence !== 'number') return null;
    // Normalised here so that PostgreSQL never sees a date string only JavaScript accepts.
    return {
      order,
      createdAt: createdAt.toISOString(),
      caseId: cursor.caseId,
      ...(order === 'riskiest' ? { confidence: cursor.confidence ?? -1 } : {}),
    };
  } catch {
    return null;
  }
}

/** Closes an audit: the finding is recorded and the case is `decided` again, in one transaction. */
export async function closeAudit(db: Knex, outcome: OutcomeRecord): Promise<boolean> {
  return db.transaction(async (trx) => {
    const closed = await trx('cases').where({ case_id: outcome.caseId, status: 'audit' }).update({ status: 'decided' });
    if (closed === 0) return false; // audited meanwhile by someone else
    await insertOutcome(trx, outcome);
    return true;
  });
}
