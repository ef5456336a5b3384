// `npm run bench -- --only dashboard`: how long the dashboards take to load with this many decided
// cases. Fills a fresh database in SQL (cases over the last week, a decision each, a finding for
// a third of them, 5% wrong), then times what one refresh of the page asks: the dashboard's SQL
// aggregates for each range, and the first page of the waiting queue.
import { performance } from 'node:perf_hooks';
import { readDashboard, DASHBOARD_RANGES, type DashboardRange } from '../db/dashboard';
import { dropDatabase, openDatabase } from '../db/connect';
import { listCases } from '../db/cases';
import { TICKET_CATEGORIES } from '../domain/ticket/categories';
import { benchDatabaseUrl } from './setup';

const WEEK_S = 7 * 24 * 3600;

async function time(run: () => Promise<unknown>): Promise<{ median: number; max: number }> {
  await run(); // warm
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: Math.round(times[3]), max: Math.round(times[6]) };
}

export async function benchDashboard(counts: number[]) {
  const rows: Record<string, number | string>[] = [];
  for (const count of counts) {
    const databaseUrl = benchDatabaseUrl();
    const db = await openDatabase(databaseUrl);
    try {
      const categories = `ARRAY[${TICKET_CATEGORIES.map((c) => `'${c}'`).join(',')}]`;
      const filled = performance.now();
      await db.raw(
        `INSERT INTO cases (case_id, kind, external_id, workflow_id, status, route, route_reason, mode,
           suggested_category, confidence, details, input, outcome, final_category, created_at, updated_at, decided_at)
         SELECT 'ticket-d' || i, 'ticket', 'd' || i, 'ticket-d' || i,
           CASE WHEN i % 50 = 0 THEN 'awaiting_review' ELSE 'decided' END,
           CASE WHEN i % 4 = 0 THEN 'assisted' ELSE 'auto' END, 'confident', 'normal',
           (${categories})[1 + i % ${TICKET_CATEGORIES.length}], 0.5 + (i % 50) / 100.0,
           jsonb_build_object('anomaly', i % 40 = 0), '{}'::jsonb,
           CASE WHEN i % 50 = 0 THEN NULL ELSE 'auto_decided' END, (${categories})[1 + i % ${TICKET_CATEGORIES.length}],
           now() - make_interval(secs => ${WEEK_S} * i::float8 / ?::float8), now(),
           now() - make_interval(secs => ${WEEK_S} * i::float8 / ?::float8 - 2)
         FROM generate_series(1, ?) AS i`,
        [count, count, count],
      );
      await db.raw(
        `INSERT INTO decisions (case_id, outcome, final_category, route, route_reason, mode, model_version, confidence,
           thresholds, escalated, record, decided_at)
         SELECT case_id, outcome, final_category, route, route_reason, mode, 'bench@1', confidence, '{}'::jsonb, false,
           '{}'::jsonb, decided_at FROM cases WHERE outcome IS NOT NULL`,
      );
      await db.raw(
        `INSERT INTO outcomes (case_id, kind, source, found_by, verdict, predicted_category, confidence, route, mode,
           model_version, at)
         SELECT case_id, 'ticket', 'review', 'reviewer-' || (i % 12), CASE WHEN i % 20 = 0 THEN 'wrong' ELSE 'right' END,
           suggested_category, confidence, route, 'normal', 'bench@1', decided_at
         FROM (SELECT case_id, suggested_category, confidence, route, decided_at, row_number() OVER () AS i
                 FROM cases WHERE outcome IS NOT NULL) c WHERE i % 3 = 0`,
      );
      await db.raw('ANALYZE');
      const fillSeconds = +((performance.now() - filled) / 1000).toFixed(1);
      const row: Record<string, number | string> = { decidedCases: count, fillSeconds };
      for (const range of Object.keys(DASHBOARD_RANGES) as DashboardRange[]) {
        const { median, max } = await time(() => readDashboard(db, range));
        row[`dashboard${range}MsMedian`] = median;
        row[`dashboard${range}MsMax`] = max;
      }
      const queue = await time(() => listCases(db, { status: ['awaiting_review'], order: 'riskiest', limit: 25 }));
      row.queuePageMsMedian = queue.median;
      rows.push(row);
      process.stderr.write(`[bench] dashboard with ${count} cases: ${JSON.stringify(row)}\n`);
    } finally {
      await db.destroy();
      await dropDatabase(databaseUrl);
    }
  }
  return rows;
}
