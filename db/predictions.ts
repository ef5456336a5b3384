// What early warnings read over a time range: the agent's proposals (category, confidence and
// the anomaly flag, by the time the case came in) and the reviews people made, with their pace.
import type { Knex } from 'knex';
import type { Prediction, ReviewTiming } from '../domain/early-warnings';

/** Enough for any window's statistics; a busier window is sampled by its newest proposals. */
const MAX_PREDICTIONS = 5000;

/** Proposals of cases received in [from, to), oldest first. */
export async function predictionsBetween(db: Knex, from: Date, to: Date): Promise<Prediction[]> {
  const rows = await db('cases')
    .where('created_at', '>=', from)
    .andWhere('created_at', '<', to)
    .whereNotNull('confidence')
    .whereNotNull('suggested_category')
    .orderBy('created_at', 'desc')
    .limit(MAX_PREDICTIONS)
    .select('suggested_category', 'confidence', db.raw(`coalesce((details->>'anomaly')::boolean, false) as anomaly`));
  return rows.reverse().map((row) => ({
    category: row.suggested_category,
    confidence: Number(row.confidence),
    anomaly: row.anomaly === true,
  }));
}

/** Reviews (not audits) decided in [from, to), with how long after the case's arrival each came. */
export async function reviewsBetween(db: Knex, from: Date, to: Date): Promise<ReviewTiming[]> {
  const rows = await db('decisions')
    .join('cases', 'cases.case_id', 'decisions.case_id')
    .whereNotNull('decisions.reviewer')
    .andWhere('decisions.decided_at', '>=', from)
    .andWhere('decisions.decided_at', '<', to)
    .limit(MAX_PREDICTIONS)
    .select(
      'decisions.reviewer',
      'decisions.outcome',
      db.raw('extract(epoch from (decisions.decided_at - cases.created_at)) * 1000 as took_ms'),
    );
  return rows.map((row) => ({
    reviewer: row.reviewer,
    approved: row.outcome === 'approved',
    tookMs: Number(row.took_ms),
  }));
}
