// Queries for the cases aggregate: the case row, its decision and refused review attempts.
// Every write here may be retried by Temporal, so each is an upsert guarded by a key or version.
import type { Knex } from 'knex';
import type {
  CaseSnapshot,
  CaseStatus,
  CaseView,
  Classification,
  DecisionRecord,
  ReviewInput,
  TicketInput,
} from '../domain/types';

interface CaseRow {
  case_id: string;
  kind: 'ticket';
  external_id: string;
  workflow_id: string;
  run_id: string | null;
  status: CaseStatus;
  route: CaseView['route'];
  route_reason: CaseView['routeReason'];
  mode: CaseView['mode'];
  intent: string | null;
  category: string | null;
  confidence: number | null;
  suggestion_visible: boolean;
  escalated: boolean;
  model_version: string | null;
  classification: Classification | null;
  thresholds: CaseView['thresholds'];
  input: Omit<TicketInput, 'externalId'>;
  outcome: string | null;
  final_category: string | null;
  reviewer: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  decided_at: Date | null;
  comment?: string | null;
}

/** The ticket as the row keeps it; the external id has a column of its own. */
function storedInput(ticket: TicketInput): CaseRow['input'] {
  return { subject: ticket.subject, body: ticket.body, customer: ticket.customer, receivedAt: ticket.receivedAt };
}

function snapshotRow(s: CaseSnapshot): Omit<CaseRow, 'outcome' | 'final_category' | 'reviewer' | 'decided_at'> {
  const { state, ticket } = s;
  const c = state.classification;
  return {
    case_id: state.caseId,
    kind: state.kind,
    external_id: ticket.externalId,
    workflow_id: s.workflowId,
    run_id: s.runId,
    status: state.status,
    route: state.route,
    route_reason: state.routeReason,
    mode: state.mode,
    intent: c?.intent ?? null,
    category: c?.category ?? null,
    confidence: c?.confidence ?? null,
    suggestion_visible: state.suggestionVisible,
    escalated: state.escalated,
    model_version: c?.modelVersion ?? null,
    classification: c,
    thresholds: s.thresholds,
    input: storedInput(ticket),
    version: state.version,
    created_at: new Date(ticket.receivedAt),
    updated_at: new Date(s.at),
  };
}

const JSON_COLUMNS = ['classification', 'thresholds', 'input'] as const;

function forInsert<T extends Record<string, unknown>>(row: T): T {
  const out: Record<string, unknown> = { ...row };
  for (const k of JSON_COLUMNS) if (k in out && out[k] !== null) out[k] = JSON.stringify(out[k]);
  return out as T;
}

/** Writes the case as of a workflow state; an older version never overwrites a newer one. */
export async function upsertCase(db: Knex, s: CaseSnapshot): Promise<void> {
  const row = forInsert(snapshotRow(s));
  const { case_id: _id, created_at: _c, ...changes } = row;
  await db('cases').insert(row).onConflict('case_id').merge(changes).where('cases.version', '<', s.state.version);
}

/** Inserts the decision once and moves the case to decided, in one transaction. */
export async function recordDecision(db: Knex, s: CaseSnapshot, d: DecisionRecord): Promise<void> {
  await db.transaction(async (trx) => {
    await upsertCase(trx, s);
    await trx('decisions')
      .insert({
        case_id: d.caseId,
        outcome: d.outcome,
        final_category: d.finalCategory,
        route: d.route,
        route_reason: d.routeReason,
        mode: d.mode,
        model_version: d.classification.modelVersion,
        confidence: d.classification.confidence,
        thresholds: JSON.stringify(d.thresholds),
        reviewer: d.reviewer,
        comment: d.comment,
        escalated: d.escalated,
        record: JSON.stringify(d),
        decided_at: d.decidedAt,
      })
      .onConflict('case_id')
      .ignore();
    await trx('cases')
      .where({ case_id: d.caseId })
      .update({ outcome: d.outcome, final_category: d.finalCategory, reviewer: d.reviewer, decided_at: d.decidedAt });
  });
}

/** The row the API shows right after a start, before the workflow's first write arrives. */
export async function insertPendingCase(
  db: Knex,
  caseId: string,
  runId: string | null,
  ticket: TicketInput,
  mode: CaseView['mode'],
): Promise<void> {
  const now = new Date(ticket.receivedAt);
  await db('cases')
    .insert(
      forInsert({
        case_id: caseId,
        kind: 'ticket',
        external_id: ticket.externalId,
        workflow_id: caseId, // a case's workflow id is its case id
        run_id: runId,
        status: 'processing',
        mode,
        input: storedInput(ticket),
        version: 0,
        created_at: now,
        updated_at: now,
      }),
    )
    .onConflict('case_id')
    .ignore();
}

export async function recordRefusedReview(
  db: Knex,
  caseId: string,
  review: Partial<ReviewInput>,
  refusal: string,
  message: string,
): Promise<void> {
  await db('review_attempts').insert({
    case_id: caseId,
    reviewer: typeof review.reviewer === 'string' ? review.reviewer.slice(0, 200) : null,
    decision: typeof review.decision === 'string' ? review.decision.slice(0, 20) : null,
    refusal,
    message,
    payload: JSON.stringify(review ?? {}),
  });
}

function toView(r: CaseRow): CaseView {
  const c = r.classification;
  const hidden = !r.suggestion_visible;
  return {
    caseId: r.case_id,
    kind: r.kind,
    externalId: r.external_id,
    status: r.status,
    route: r.route,
    routeReason: r.route_reason,
    mode: r.mode,
    suggestionHidden: hidden,
    intent: hidden ? null : r.intent,
    category: hidden ? null : r.category,
    confidence: hidden ? null : r.confidence,
    runnerUp: hidden ? null : (c?.runnerUp ?? null),
    explanation: hidden ? [] : (c?.explanation ?? []),
    nearest: hidden ? [] : (c?.nearest ?? []),
    anomaly: c ? c.anomaly : null,
    modelVersion: r.model_version,
    escalated: r.escalated,
    decision: r.outcome
      ? {
          outcome: r.outcome as NonNullable<CaseView['decision']>['outcome'],
          finalCategory: r.final_category,
          reviewer: r.reviewer,
          comment: r.comment ?? null,
          decidedAt: r.decided_at!.toISOString(),
        }
      : null,
    reviewer: r.reviewer,
    subject: r.input.subject,
    customer: r.input.customer ?? null,
    thresholds: r.thresholds,
    workflowId: r.workflow_id,
    runId: r.run_id,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    decidedAt: r.decided_at ? r.decided_at.toISOString() : null,
  };
}

function selectCases(db: Knex) {
  return db('cases').leftJoin('decisions', 'decisions.case_id', 'cases.case_id').select('cases.*', 'decisions.comment');
}

export async function getCase(db: Knex, caseId: string): Promise<CaseView | null> {
  const row = await selectCases(db).where('cases.case_id', caseId).first();
  return row ? toView(row) : null;
}

export interface CasePage {
  items: CaseView[];
  nextCursor: string | null;
}

/** Newest first, keyset-paginated on (created_at, case_id) so pages stay stable while cases arrive. */
export async function listCases(
  db: Knex,
  q: { status?: CaseStatus; limit: number; cursor?: { createdAt: string; caseId: string } },
): Promise<CasePage> {
  const query = selectCases(db)
    .orderBy([
      { column: 'cases.created_at', order: 'desc' },
      { column: 'cases.case_id', order: 'desc' },
    ])
    .limit(q.limit + 1);
  if (q.status) query.where('cases.status', q.status);
  if (q.cursor) {
    const { createdAt, caseId } = q.cursor;
    query.whereRaw('(cases.created_at, cases.case_id) < (?::timestamptz, ?)', [createdAt, caseId]);
  }
  const rows: CaseRow[] = await query;
  const items = rows.slice(0, q.limit).map(toView);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > q.limit && last ? encodeCursor(last.createdAt, last.caseId) : null };
}

export function encodeCursor(createdAt: string, caseId: string): string {
  return Buffer.from(JSON.stringify([createdAt, caseId])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: string; caseId: string } | null {
  try {
    const [createdAt, caseId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof createdAt !== 'string' || typeof caseId !== 'string' || Number.isNaN(Date.parse(createdAt))) return null;
    return { createdAt, caseId };
  } catch {
    return null;
  }
}
