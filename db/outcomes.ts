// The outcomes table: one finding per case, source and finder, and the counts the error budget
// is computed from, aggregated in SQL.
import type { Knex } from 'knex';
import type { BudgetWindows } from '../domain/budget-policy';
import { windowFigures, windowName, type WindowFigures } from '../domain/error-budget';
import type { OutcomeRecord } from '../domain/outcomes';

/** Inserts the finding once; returns false when the same case, source and finder had one already. */
export async function insertOutcome(db: Knex, outcome: OutcomeRecord): Promise<boolean> {
  const inserted = await db('outcomes')
    .insert({
      case_id: outcome.caseId,
      kind: outcome.kind,
      source: outcome.source,
      found_by: outcome.foundBy,
      verdict: outcome.verdict,
      predicted_category: outcome.predictedCategory,
      actual_category: outcome.actualCategory,
      confidence: outcome.confidence,
      route: outcome.route,
      mode: outcome.mode,
      model_version: outcome.modelVersion,
      comment: outcome.comment,
      at: outcome.at,
    })
    .onConflict(['case_id', 'source', 'found_by'])
    .ignore()
    .returning('id');
  return inserted.length > 0;
}

function toOutcome(row: Record<string, any>): OutcomeRecord {
  return {
    caseId: row.case_id,
    kind: row.kind,
    source: row.source,
    foundBy: row.found_by,
    verdict: row.verdict,
    predictedCategory: row.predicted_category,
    actualCategory: row.actual_category,
    confidence: row.confidence,
    route: row.route,
    mode: row.mode,
    modelVersion: row.model_version,
    comment: row.comment,
    at: new Date(row.at).toISOString(),
  };
}

export async function findOutcome(
  db: Knex,
  key: Pick<OutcomeRecord, 'caseId' | 'source' | 'foundBy'>,
): Promise<OutcomeRecord | null> {
  const row = await db('outcomes').where({ case_id: key.caseId, source: key.source, found_by: key.foundBy }).first();
  return row ? toOutcome(row) : null;
}

export async function listOutcomes(db: Knex, caseId: string): Promise<OutcomeRecord[]> {
  return (await db('outcomes').where({ case_id: caseId }).orderBy('id')).map(toOutcome);
}

/**
 * Evaluated proposals and errors since a time. A review or an audit judges the agent's proposal;
 * feedback judges the category the case went to, which is the agent's only where it decided alone.
 */
export async function countFindings(db: Knex, since: Date): Promise<{ evaluated: number; errors: number }> {
  const row = await db('outcomes')
    .where('at', '>=', since)
    .andWhere((scope) => scope.whereIn('source', ['review', 'audit']).orWhere({ source: 'feedback', route: 'auto' }))
    .select(db.raw('count(*)::int as evaluated'), db.raw(`count(*) filter (where verdict = 'wrong')::int as errors`))
    .first();
  return { evaluated: row?.evaluated ?? 0, errors: row?.errors ?? 0 };
}

/** The budget's figures over its fast and slow windows, as of now. */
export async function budgetFigures(
  db: Knex,
  { fastWindowMs, slowWindowMs, budget }: BudgetWindows,
): Promise<{ fast: WindowFigures; slow: WindowFigures }> {
  const now = Date.now();
  const [fast, slow] = await Promise.all(
    [fastWindowMs, slowWindowMs].map(async (ms) => {
      const { evaluated, errors } = await countFindings(db, new Date(now - ms));
      return windowFigures(windowName(ms), evaluated, errors, budget);
    }),
  );
  return { fast, slow };
}
