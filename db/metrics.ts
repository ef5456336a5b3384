// The figures /metrics exposes, aggregated in PostgreSQL at scrape time: the database is the
// one place that sees every case whichever process decided it, so the API reports the truth
// for a split deployment too. Each is one grouped query; histograms count per bucket in SQL.
import type { Knex } from 'knex';

export interface CaseCount {
  kind: string;
  status: string;
  route: string;
  count: number;
}

export async function caseCounts(db: Knex): Promise<CaseCount[]> {
  const rows = await db('cases')
    .select('kind', 'status', db.raw("coalesce(route, 'none') as route"))
    .count({ count: '*' })
    .groupBy('kind', 'status', db.raw("coalesce(route, 'none')"));
  return rows.map((row) => ({
    kind: String(row.kind),
    status: String(row.status),
    route: String(row.route),
    count: Number(row.count),
  }));
}

export interface DecisionCount {
  kind: string;
  route: string;
  outcome: string;
  count: number;
}

export async function decisionCounts(db: Knex): Promise<DecisionCount[]> {
  const rows = await db('decisions')
    .join('cases', 'cases.case_id', 'decisions.case_id')
    .select('cases.kind', 'decisions.route', 'decisions.outcome')
    .count({ count: '*' })
    .groupBy('cases.kind', 'decisions.route', 'decisions.outcome');
  return (rows as Record<string, unknown>[]).map((row) => ({
    kind: String(row.kind),
    route: String(row.route),
    outcome: String(row.outcome),
    count: Number(row.count),
  }));
}

export interface Buckets {
  /** Cumulative count at or below each upper bound, in the order given. */
  counts: number[];
  sum: number;
  count: number;
}

async function bucketed(
  db: Knex,
  from: string,
  value: string,
  bounds: readonly number[],
  groupBy: string,
): Promise<Map<string, Buckets>> {
  const filters = bounds.map((bound, index) => `count(*) filter (where ${value} <= ${Number(bound)}) as b${index}`);
  const { rows } = await db.raw(
    `select ${groupBy} as label, ${filters.join(', ')}, coalesce(sum(${value}), 0) as total, count(*) as n
       from ${from} where ${value} is not null group by ${groupBy}`,
  );
  return new Map(
    (rows as Record<string, unknown>[]).map((row) => [
      String(row.label),
      {
        counts: bounds.map((_, index) => Number(row[`b${index}`])),
        sum: Number(row.total),
        count: Number(row.n),
      },
    ]),
  );
}

/** Seconds from intake to decision, per kind. */
export function decisionLatency(db: Knex, bounds: readonly number[]): Promise<Map<string, Buckets>> {
  return bucketed(
    db,
    'decisions join cases on cases.case_id = decisions.case_id',
    'extract(epoch from (decisions.decided_at - cases.created_at))',
    bounds,
    'cases.kind',
  );
}

/** The agent's confidence in its proposals, per kind. */
export function confidences(db: Knex, bounds: readonly number[]): Promise<Map<string, Buckets>> {
  return bucketed(db, 'cases', 'confidence', bounds, 'kind');
}

export interface OverrideCount {
  kind: string;
  source: string;
  count: number;
}

/** Findings that the agent was wrong: reviewers correcting or rejecting it, audits, feedback. */
export async function overrideCounts(db: Knex): Promise<OverrideCount[]> {
  const rows = await db('outcomes')
    .where({ verdict: 'wrong' })
    .select('kind', 'source')
    .count({ count: '*' })
    .groupBy('kind', 'source');
  return (rows as Record<string, unknown>[]).map((row) => ({
    kind: String(row.kind),
    source: String(row.source),
    count: Number(row.count),
  }));
}
