// The agent's proposals over a time range, as early warnings read them: category, confidence and
// the anomaly flag of every case that has one, by the time the case came in.
import type { Knex } from 'knex';
import type { Prediction } from '../domain/early-warnings';

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
