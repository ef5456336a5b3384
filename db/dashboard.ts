// What the dashboards plot, aggregated in PostgreSQL over a time range cut into 48 buckets
// (date_bin), so the page stays fast however many cases are decided: recent decisions, the
// autonomy mix and confidence per bucket, overrides by team, by reviewer and over time, the
// error rate against the budget, the confidence distribution, the mode timeline.
import type { Knex } from 'knex';

export const DASHBOARD_RANGES = { '1h': 3600_000, '24h': 24 * 3600_000, '7d': 7 * 24 * 3600_000 } as const;
export type DashboardRange = keyof typeof DASHBOARD_RANGES;
const BUCKETS = 48;

export interface Dashboard {
  range: DashboardRange;
  from: string;
  to: string;
  bucketSeconds: number;
  /** The newest decisions: when, how sure, what came of it. */
  recent: { at: string; kind: string; confidence: number | null; route: string; outcome: string }[];
  /** Per bucket: decisions by route, their mean confidence, and the share of out-of-distribution inputs. */
  decisions: {
    at: string;
    auto: number;
    assisted: number;
    manual: number;
    meanConfidence: number | null;
    ood: number;
  }[];
  /** Per bucket: findings on the agent, how many wrong (overrides), the rate against the budget. */
  findings: { at: string; evaluated: number; wrong: number; rate: number | null }[];
  overridesByTeam: { team: string; wrong: number; evaluated: number }[];
  overridesByReviewer: { reviewer: string; wrong: number; reviews: number }[];
  /** Proposals' confidence in tenths over the range (index 0: below 0.1 … index 9: 0.9 and up). */
  confidence: number[];
  modes: {
    at: string;
    scope: string;
    mode: string;
    previousMode: string;
    reason: string;
    operator: string;
    /** What made the governor change the mode (figures, the rule that fired); null for changes by hand. */
    evidence: unknown;
  }[];
}

const iso = (value: Date | string) => new Date(value).toISOString();

export async function readDashboard(db: Knex, range: DashboardRange, now = new Date()): Promise<Dashboard> {
  const span = DASHBOARD_RANGES[range];
  const from = new Date(now.getTime() - span);
  const bucketSeconds = span / 1000 / BUCKETS;
  const bin = (column: string) => `date_bin('${bucketSeconds} seconds', ${column}, timestamptz '2000-01-01')`;
  const [recent, decisions, findings, byTeam, byReviewer, confidence, modes] = await Promise.all([
    db.raw(
      `select d.decided_at, c.kind, d.confidence, d.route, d.outcome
         from decisions d join cases c on c.case_id = d.case_id
        order by d.decided_at desc limit 200`,
    ),
    db.raw(
      `select ${bin('d.decided_at')} as at,
              count(*) filter (where d.route = 'auto') as auto,
              count(*) filter (where d.route = 'assisted') as assisted,
              count(*) filter (where d.route = 'manual') as manual,
              avg(d.confidence) as mean_confidence,
              count(*) filter (where (c.details->>'anomaly')::boolean) as ood
         from decisions d join cases c on c.case_id = d.case_id
        where d.decided_at >= ? group by 1 order by 1`,
      [from],
    ),
    db.raw(
      `select ${bin('at')} as at, count(*) as evaluated, count(*) filter (where verdict = 'wrong') as wrong
         from outcomes where at >= ? group by 1 order by 1`,
      [from],
    ),
    db.raw(
      `select predicted_category as team, count(*) filter (where verdict = 'wrong') as wrong, count(*) as evaluated
         from outcomes where at >= ? group by 1 order by 2 desc, 1 limit 20`,
      [from],
    ),
    db.raw(
      `select found_by as reviewer, count(*) filter (where verdict = 'wrong') as wrong, count(*) as reviews
         from outcomes where at >= ? and source in ('review', 'audit') group by 1 order by 2 desc, 1 limit 20`,
      [from],
    ),
    db.raw(
      `select least(floor(confidence * 10), 9) as tenth, count(*) as n
         from cases where created_at >= ? and confidence is not null group by 1`,
      [from],
    ),
    db.raw(
      `select changed_at, scope, mode, previous_mode, reason, operator, evidence
         from mode_changes where changed_at >= ? order by seq desc limit 200`,
      [from],
    ),
  ]);
  const tenths = Array.from({ length: 10 }, () => 0);
  for (const row of confidence.rows) tenths[Number(row.tenth)] = Number(row.n);
  return {
    range,
    from: from.toISOString(),
    to: now.toISOString(),
    bucketSeconds,
    recent: recent.rows.map((row: Record<string, unknown>) => ({
      at: iso(row.decided_at as Date),
      kind: String(row.kind),
      confidence: row.confidence === null ? null : Number(row.confidence),
      route: String(row.route),
      outcome: String(row.outcome),
    })),
    decisions: decisions.rows.map((row: Record<string, unknown>) => ({
      at: iso(row.at as Date),
      auto: Number(row.auto),
      assisted: Number(row.assisted),
      manual: Number(row.manual),
      meanConfidence: row.mean_confidence === null ? null : Number(row.mean_confidence),
      ood: Number(row.ood),
    })),
    findings: findings.rows.map((row: Record<string, unknown>) => ({
      at: iso(row.at as Date),
      evaluated: Number(row.evaluated),
      wrong: Number(row.wrong),
      rate: Number(row.evaluated) > 0 ? Number(row.wrong) / Number(row.evaluated) : null,
    })),
    overridesByTeam: byTeam.rows.map((row: Record<string, unknown>) => ({
      team: String(row.team),
      wrong: Number(row.wrong),
      evaluated: Number(row.evaluated),
    })),
    overridesByReviewer: byReviewer.rows.map((row: Record<string, unknown>) => ({
      reviewer: String(row.reviewer),
      wrong: Number(row.wrong),
      reviews: Number(row.reviews),
    })),
    confidence: tenths,
    modes: modes.rows.map((row: Record<string, unknown>) => ({
      at: iso(row.changed_at as Date),
      scope: String(row.scope),
      mode: String(row.mode),
      previousMode: String(row.previous_mode),
      reason: String(row.reason),
      operator: String(row.operator),
      evidence: row.evidence ?? null,
    })),
  };
}
