// The outcomes table: one finding per case, source and finder, and the counts the error budget
// is computed from, aggregated in SQL.
import type { Knex } from 'knex';
import type { BudgetFigures, BudgetWindows, ScopeFigures } from '../domain/budget-policy';
import { windowFigures, windowName } from '../domain/error-budget';
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
 * Findings that judge the agent's proposal: a review or an audit always does; feedback judges the
 * category the case went to, which is the agent's only where it decided alone.
 */
function judgingTheAgent(db: Knex, confidentAbove?: number) {
  const query = db('outcomes').where((scope) =>
    scope.whereIn('source', ['review', 'audit']).orWhere({ source: 'feedback', route: 'auto' }),
  );
  if (confidentAbove !== undefined) query.andWhere('confidence', '>', confidentAbove);
  return query;
}

/**
 * The budget's figures over its fast and slow windows, as of now, globally and per predicted
 * category: one grouped query over the slow window.
 */
export async function budgetFigures(
  db: Knex,
  { fastWindowMs, slowWindowMs, budget, confidentAbove }: BudgetWindows,
): Promise<BudgetFigures> {
  const now = Date.now();
  const fastSince = new Date(now - fastWindowMs);
  const rows: {
    category: string;
    fast_evaluated: number;
    fast_errors: number;
    slow_evaluated: number;
    slow_errors: number;
  }[] = await judgingTheAgent(db, confidentAbove)
    .andWhere('at', '>=', new Date(now - slowWindowMs))
    .groupBy('predicted_category')
    .select(
      'predicted_category as category',
      db.raw('count(*) filter (where at >= ?)::int as fast_evaluated', [fastSince]),
      db.raw(`count(*) filter (where at >= ? and verdict = 'wrong')::int as fast_errors`, [fastSince]),
      db.raw('count(*)::int as slow_evaluated'),
      db.raw(`count(*) filter (where verdict = 'wrong')::int as slow_errors`),
    );
  const [fastName, slowName] = [windowName(fastWindowMs), windowName(slowWindowMs)];
  const total = { fastEvaluated: 0, fastErrors: 0, slowEvaluated: 0, slowErrors: 0 };
  const categories: Record<string, ScopeFigures> = {};
  for (const row of rows) {
    total.fastEvaluated += row.fast_evaluated;
    total.fastErrors += row.fast_errors;
    total.slowEvaluated += row.slow_evaluated;
    total.slowErrors += row.slow_errors;
    categories[row.category] = {
      fast: windowFigures(fastName, row.fast_evaluated, row.fast_errors, budget),
      slow: windowFigures(slowName, row.slow_evaluated, row.slow_errors, budget),
    };
  }
  return {
    fast: windowFigures(fastName, total.fastEvaluated, total.fastErrors, budget),
    slow: windowFigures(slowName, total.slowEvaluated, total.slowErrors, budget),
    categories,
  };
}
