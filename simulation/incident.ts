// The incident, replayed on the real stack: BANKING77 test tickets stream in through the API at a
// steady rate; a simulated team that knows the true labels reviews what is sent to people,
// confirms or corrects audits, and reports misrouted tickets it receives. Midway the model starts
// confusing two categories. The governor is left to notice and contain it on its own.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadConfig } from '../config';
import { dropDatabase, withDatabase } from '../db/connect';
import type { Mode, ModeState } from '../domain/case';
import { effectiveMode, stricter } from '../domain/scopes';
import { categoryOf } from '../domain/ticket/categories';
import { startStack } from '../infra/stack';
import { banking77Dir, readLabelledCsv } from '../model/datasets';
import { GOVERNOR_WORKFLOW_ID, getBudgetQuery, getModeQuery } from '../workflows/messages';
import { FaultyClassifier, type Confusion } from './faulty-classifier';
import { createClassifier } from '../infra/stack';
import { seededRandom } from './seeded-random';

export interface IncidentOptions {
  /** Tickets per second. */
  rate: number;
  /** Seconds of normal operation before the onset, and after it. */
  beforeS: number;
  afterS: number;
  confusion: Confusion;
  /** Share of automatic decisions the receiving team reports a verdict on, and after how long. */
  feedbackShare: number;
  feedbackDelayMs: number;
  /** How long a reviewer takes with a case sent to people or drawn for an audit. */
  reviewDelayMs: number;
  seed: number;
  /** The governor's configuration for the run (compressed time: minutes stand for hours). */
  env: Record<string, string>;
  log(line: string): void;
}

export interface Sample {
  t: number;
  mode: Mode;
  scopes: Record<string, Mode>;
  /** The governor's last evaluation: global and the confused target category, slow window. */
  globalRate: number;
  globalLowerBound: number;
  targetRate: number;
  targetLowerBound: number;
  warnings: number;
  meanConfidence: number | null;
  wrongAuto: number;
}

export interface IncidentEvent {
  t: number;
  kind: string;
  message: string;
}

export interface IncidentFigures {
  tickets: number;
  onsetS: number;
  modeChangesBeforeOnset: number;
  firstWarningAfterOnsetS: number | null;
  containedAfterOnsetS: number | null;
  wrongAutoBeforeOnset: number;
  wrongAutoAfterOnset: number;
  wrongAutoBeforeContainment: number;
  reviews: number;
  audits: number;
  feedback: number;
}

export interface IncidentResult {
  options: Omit<IncidentOptions, 'log'>;
  figures: IncidentFigures;
  timeline: Sample[];
  events: IncidentEvent[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function replayIncident(options: IncidentOptions): Promise<IncidentResult> {
  const { log } = options;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed
  }
  const random = seededRandom(options.seed);
  const base = loadConfig();
  const tickets = readLabelledCsv(join(await banking77Dir(base.datasets), 'test.csv'))
    .map((row) => ({ ...row, order: random() }))
    .sort((a, b) => a.order - b.order);
  const needed = Math.ceil(options.rate * (options.beforeS + options.afterS));
  if (needed > tickets.length)
    throw new Error(`the run needs ${needed} tickets; BANKING77's test set has ${tickets.length}`);

  const databaseUrl = withDatabase(base.databaseUrl, `agent_ops_sim_${randomBytes(3).toString('hex')}`);
  const keys = {
    service: `svc-sim-${randomBytes(12).toString('hex')}`,
    reviewer: `rita-sim-${randomBytes(12).toString('hex')}`,
  };
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: '0',
    API_KEYS: `svc-sim=${keys.service}:service+auditor,rita=${keys.reviewer}:reviewer`,
    RATE_LIMIT: '0',
    ...options.env,
  });
  const classifier = new FaultyClassifier(createClassifier(config), options.confusion);
  log(`starting the stack (in-memory Temporal dev server, database ${new URL(databaseUrl).pathname.slice(1)}) ...`);
  const stack = await startStack({ config, devServer: 'in-memory', api: { keys: config.apiKeys! }, classifier });
  const { db, client } = stack.deps;
  const url = stack.api!.url;
  const call = async (path: string, body: unknown, key: string) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await res.arrayBuffer();
    return res.status;
  };

  const truth = new Map<string, string>();
  const handled = new Set<string>();
  const wrongAuto: { caseId: string; at: number }[] = [];
  const counts = { reviews: 0, audits: 0, feedback: 0 };
  const pending = new Set<Promise<unknown>>();
  const later = (ms: number, action: () => Promise<unknown>) => {
    const done: Promise<unknown> = sleep(ms)
      .then(action)
      .catch((err) => log(`  team action failed: ${(err as Error).message}`))
      .finally(() => pending.delete(done));
    pending.add(done);
  };

  const started = Date.now();
  const onsetAt = started + options.beforeS * 1000;
  const endAt = onsetAt + options.afterS * 1000;
  const seconds = (at: number) => +((at - started) / 1000).toFixed(1);
  let stopping = false;

  // The stream: one ticket every 1/rate seconds, never more than 32 requests in flight.
  const stream = (async () => {
    let inFlight = 0;
    for (let i = 0; Date.now() < endAt; i++) {
      const due = started + (i * 1000) / options.rate;
      if (due > Date.now()) await sleep(due - Date.now());
      if (Date.now() >= onsetAt && classifier.modelVersion.endsWith('+faulty') === false) {
        classifier.breakNow();
        log(
          `t=${seconds(Date.now())}s onset: the model now sends ${options.confusion.from} to ${options.confusion.to}`,
        );
      }
      while (inFlight >= 32) await sleep(5);
      const ticket = tickets[i];
      const caseId = `ticket-sim-${i}`;
      truth.set(caseId, categoryOf(ticket.label));
      inFlight++;
      call('/v1/tickets', { externalId: `sim-${i}`, subject: 'Support request', body: ticket.text }, keys.service)
        .then((status) => status !== 202 && log(`  ticket ${i}: HTTP ${status}`))
        .catch((err) => log(`  ticket ${i}: ${(err as Error).message}`))
        .finally(() => inFlight--);
    }
  })();

  // The team: reads the cases table and acts as people who know the true label would.
  const team = (async () => {
    let watermark = new Date(0);
    while (!stopping) {
      const rows = await db('cases')
        .where('updated_at', '>=', watermark)
        .select(
          'case_id',
          'status',
          'route',
          'suggested_category',
          'suggestion_visible',
          'outcome',
          'final_category',
          'decided_at',
          'updated_at',
        );
      for (const row of rows) {
        if (row.updated_at > watermark) watermark = row.updated_at;
        const actual = truth.get(row.case_id);
        if (!actual) continue;
        const step = `${row.case_id}:${row.status}`;
        if (handled.has(step)) continue;
        if (['awaiting_review', 'escalated', 'manual', 'audit'].includes(row.status)) {
          handled.add(step);
          const judged =
            row.status === 'audit' ? row.final_category : row.suggestion_visible ? row.suggested_category : null;
          const review = judged === actual ? { decision: 'approve' } : { decision: 'correct', category: actual };
          later(options.reviewDelayMs, async () => {
            let status = await call(`/v1/cases/${row.case_id}/review`, review, keys.reviewer);
            // Correcting to the category the agent already proposed is refused: approve it then.
            if (status === 400 || status === 422)
              status = await call(`/v1/cases/${row.case_id}/review`, { decision: 'approve' }, keys.reviewer);
            if (status === 200) counts[row.status === 'audit' ? 'audits' : 'reviews']++;
          });
        } else if (row.status === 'decided' && row.outcome === 'auto_decided' && !handled.has(`${row.case_id}:auto`)) {
          handled.add(`${row.case_id}:auto`);
          const wrong = row.final_category !== actual;
          if (wrong) wrongAuto.push({ caseId: row.case_id, at: new Date(row.decided_at).getTime() });
          // The receiving team closes what it gets and its tooling reports each verdict, right
          // or wrong: an unbiased sample. Reporting only the misroutes would inflate the rate.
          if (random() < options.feedbackShare) {
            later(options.feedbackDelayMs, async () => {
              const body = wrong
                ? { verdict: 'wrong', category: actual, source: `${row.final_category}-team` }
                : { verdict: 'right', source: `${row.final_category}-team` };
              if ((await call(`/v1/cases/${row.case_id}/feedback`, body, keys.service)) === 201) counts.feedback++;
            });
          }
        }
      }
      await sleep(250);
    }
  })();

  // The timeline: once a second, what the governor holds and last evaluated.
  const timeline: Sample[] = [];
  const governor = client.workflow.getHandle(GOVERNOR_WORKFLOW_ID);
  const target = options.confusion.to;
  const sampler = (async () => {
    let lastLog = 0;
    while (!stopping) {
      const [mode, evaluation, confidence] = await Promise.all([
        governor.query(getModeQuery),
        governor.query(getBudgetQuery),
        db('cases')
          .where('created_at', '>=', new Date(Date.now() - 10_000))
          .avg({ mean: 'confidence' })
          .first(),
      ]);
      const own = evaluation?.categories?.[target]?.slow;
      const sample: Sample = {
        t: seconds(Date.now()),
        mode: mode.mode,
        scopes: mode.scopes ?? {},
        globalRate: evaluation?.slow.rate ?? 0,
        globalLowerBound: evaluation?.slow.lowerBound ?? 0,
        targetRate: own?.rate ?? 0,
        targetLowerBound: own?.lowerBound ?? 0,
        warnings: evaluation?.warnings?.length ?? 0,
        meanConfidence: confidence?.mean === null || confidence?.mean === undefined ? null : Number(confidence.mean),
        wrongAuto: wrongAuto.length,
      };
      timeline.push(sample);
      if (sample.t - lastLog >= 15) {
        lastLog = sample.t;
        const scoped = Object.entries(sample.scopes)
          .map(([scope, held]) => `${scope}=${held}`)
          .join(' ');
        log(
          `t=${sample.t}s mode ${sample.mode}${scoped ? ` (${scoped})` : ''}; error rate ${(sample.globalRate * 100).toFixed(1)}% global, ${(sample.targetRate * 100).toFixed(1)}% ${target}; wrong auto decisions so far ${sample.wrongAuto}`,
        );
      }
      await sleep(1000);
    }
  })();

  try {
    await stream;
    log(`t=${seconds(Date.now())}s stream ended; letting the team finish`);
    await sleep(Math.max(options.reviewDelayMs, options.feedbackDelayMs) + 3000);
    stopping = true;
    await Promise.all([team, sampler]);
    await Promise.all(pending);

    const changes: (ModeState & { changedAt: number; scopeMode: Mode })[] = (
      await db('mode_changes').orderBy('seq')
    ).map((row) => {
      const scopes = { ...(row.scopes ?? {}) } as Record<string, Mode>;
      const global = scopes.global ?? row.mode;
      delete scopes.global;
      return {
        mode: global,
        scopes,
        scope: row.scope,
        seq: Number(row.seq),
        since: row.changed_at,
        reason: row.reason,
        operator: row.operator,
        changedAt: new Date(row.changed_at).getTime(),
        scopeMode: row.mode,
      };
    });
    const alerts = await db('alerts').orderBy('id');
    const events: IncidentEvent[] = [
      {
        t: seconds(onsetAt),
        kind: 'onset',
        message: `the model sends ${options.confusion.from} to ${options.confusion.to}`,
      },
      ...changes.map((change) => ({
        t: seconds(change.changedAt),
        kind: 'mode_change',
        message: `${change.scope}: ${change.scopeMode} (${change.reason})`,
      })),
      ...alerts
        .filter((alert) => alert.kind === 'early_warning')
        .map((alert) => ({ t: seconds(new Date(alert.at).getTime()), kind: 'early_warning', message: alert.message })),
    ].sort((a, b) => a.t - b.t);

    const afterOnset = (at: number) => at >= onsetAt;
    const firstWarning = [
      ...changes.map((c) => c.changedAt),
      ...alerts.filter((a) => a.kind === 'early_warning').map((a) => new Date(a.at).getTime()),
    ]
      .filter(afterOnset)
      .sort((a, b) => a - b)[0];
    // Contained: the category the confused tickets land in routes nothing by the model alone.
    const contained = changes.find(
      (change) => afterOnset(change.changedAt) && !stricter('safe', effectiveMode(change, 'ticket', target)),
    )?.changedAt;
    const figures: IncidentFigures = {
      tickets: truth.size,
      onsetS: options.beforeS,
      modeChangesBeforeOnset: changes.filter((change) => !afterOnset(change.changedAt)).length,
      firstWarningAfterOnsetS: firstWarning === undefined ? null : +((firstWarning - onsetAt) / 1000).toFixed(1),
      containedAfterOnsetS: contained === undefined ? null : +((contained - onsetAt) / 1000).toFixed(1),
      wrongAutoBeforeOnset: wrongAuto.filter((wrong) => !afterOnset(wrong.at)).length,
      wrongAutoAfterOnset: wrongAuto.filter((wrong) => afterOnset(wrong.at)).length,
      wrongAutoBeforeContainment: wrongAuto.filter(
        (wrong) => afterOnset(wrong.at) && (contained === undefined || wrong.at < contained),
      ).length,
      ...counts,
    };
    const { log: _log, ...recorded } = options;
    return { options: recorded, figures, timeline, events };
  } finally {
    stopping = true;
    await stack.stop();
    await dropDatabase(databaseUrl);
  }
}
