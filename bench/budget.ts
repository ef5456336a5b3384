// `npm run bench -- --only budget`: the outcome rate the governor's evaluation sustains. Fills a
// fresh database with an hour of cases and findings at a steady rate (in SQL, fast), then times
// what the governor runs on every tick: the budget's grouped count over both windows and per
// category, and the early warnings' reads and statistics. A rate is sustained while one
// evaluation takes well under GOVERNOR_TICK (default 10 s).
import { performance } from 'node:perf_hooks';
import { dropDatabase, openDatabase } from '../db/connect';
import { budgetActivities } from '../activities/budget';
import { TICKET_CATEGORIES } from '../domain/ticket/categories';
import { benchDatabaseUrl } from './setup';

const HOUR_S = 3600;

export async function benchBudget(ratesPerSecond: number[]) {
  const rows: Record<string, number>[] = [];
  for (const rate of ratesPerSecond) {
    const databaseUrl = benchDatabaseUrl();
    const db = await openDatabase(databaseUrl);
    try {
      const total = rate * HOUR_S;
      const categories = `ARRAY[${TICKET_CATEGORIES.map((c) => `'${c}'`).join(',')}]`;
      const filled = performance.now();
      // One case per finding, arriving evenly over the last hour; 3% of findings wrong.
      await db.raw(
        `INSERT INTO cases (case_id, kind, external_id, workflow_id, status, route, mode, suggested_category,
           confidence, details, input, created_at, updated_at)
         SELECT 'ticket-b' || i, 'ticket', 'b' || i, 'ticket-b' || i, 'decided', 'auto', 'normal',
           (${categories})[1 + i % ${TICKET_CATEGORIES.length}], 0.86 + (i % 14) / 100.0,
           jsonb_build_object('anomaly', i % 50 = 0), '{}'::jsonb,
           now() - make_interval(secs => ${HOUR_S} * i::float8 / ?::float8), now()
         FROM generate_series(1, ?) AS i`,
        [total, total],
      );
      await db.raw(
        `INSERT INTO outcomes (case_id, kind, source, found_by, verdict, predicted_category, confidence, route,
           mode, model_version, at)
         SELECT case_id, 'ticket', CASE WHEN i % 3 = 0 THEN 'audit' ELSE 'feedback' END, 'team',
           CASE WHEN i % 33 = 0 THEN 'wrong' ELSE 'right' END, suggested_category, confidence, 'auto', 'normal',
           'bench@1', created_at
         FROM (SELECT case_id, suggested_category, confidence, created_at, row_number() OVER () AS i FROM cases) c`,
      );
      await db.raw('ANALYZE');
      const fillMs = performance.now() - filled;
      const { evaluateBudget } = budgetActivities(db);
      const windows = {
        fastWindowMs: 5 * 60_000,
        slowWindowMs: HOUR_S * 1000,
        budget: 0.02,
        referenceWindowMs: HOUR_S * 1000,
        confidentAbove: 0.85,
      };
      await evaluateBudget(windows); // warm
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        await evaluateBudget(windows);
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      rows.push({
        outcomesPerSecond: rate,
        findingsInSlowWindow: total,
        fillSeconds: +(fillMs / 1000).toFixed(1),
        evaluationMsMedian: Math.round(times[2]),
        evaluationMsMax: Math.round(times[4]),
      });
      process.stderr.write(`[bench] budget at ${rate}/s: ${JSON.stringify(rows.at(-1))}\n`);
    } finally {
      await db.destroy();
      await dropDatabase(databaseUrl);
    }
  }
  return rows;
}
