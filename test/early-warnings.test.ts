// Warnings before any label: a shifted mix of what the agent proposes (one category vanishes,
// another appears from nowhere) raises early-warning alerts and moves the system to `reduced`,
// with the warnings as evidence. Windows are seconds here; in production minutes and hours.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_OPERATOR } from '../domain/modes';
import { GOVERNOR_WORKFLOW_ID, getBudgetQuery } from '../workflows/messages';
import { eventually } from './support/eventually';
import { KEYS, startTestStack, type TestStack } from './support/stack';
import { ticket, type TEXTS } from './support/tickets';

let s: TestStack;
const FAST_WINDOW_MS = 20_000;
const REFERENCE = 220;

beforeAll(async () => {
  s = await startTestStack(__filename, {
    EARLY_WARNINGS: 'true',
    GOVERNOR_TICK: '200ms',
    BUDGET_FAST_WINDOW: `${FAST_WINDOW_MS}ms`,
    BUDGET_SLOW_WINDOW: '5m',
    WARNING_REFERENCE_WINDOW: '5m',
    RATE_LIMIT: '0',
  });
});
afterAll(() => s?.stop());

/** Opens `count` tickets of one text, ten at a time, and waits until each has its proposal on record. */
async function open(count: number, text: keyof typeof TEXTS): Promise<void> {
  let opened = 0;
  const ids: string[] = [];
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (opened < count) {
        opened++;
        const res = await s.http('POST', '/v1/tickets', { body: ticket(text) });
        expect(res.status).toBe(202);
        ids.push(res.body.caseId);
      }
    }),
  );
  await eventually(
    async () =>
      Number(
        (await s.deps.db('cases').whereIn('case_id', ids).whereNotNull('confidence').count({ n: '*' }).first())?.n,
      ),
    (proposed) => proposed >= ids.length,
    'every proposal on record',
  );
}

describe('early warnings', () => {
  it('a shifted category mix raises warnings and moves the mode to reduced, warnings as evidence', async () => {
    // The reference: the last minutes' history, all payments proposals, as the cases table holds
    // it (written here rather than replayed through the stack: only its age and mix matter).
    const before = Date.now() - 3 * FAST_WINDOW_MS;
    await s.deps.db('cases').insert(
      Array.from({ length: REFERENCE }, (_, i) => ({
        case_id: `ticket-history-${i}`,
        kind: 'ticket',
        external_id: `history-${i}`,
        workflow_id: `ticket-history-${i}`,
        status: 'decided',
        route: 'auto',
        mode: 'normal',
        suggested_category: 'payments',
        confidence: 0.97 + (i % 3) / 100,
        details: JSON.stringify({ category: 'payments', anomaly: false }),
        input: '{}',
        created_at: new Date(before - i * 100),
        updated_at: new Date(before - i * 100),
      })),
    );
    const quiet = await eventually(
      () => s.deps.client.workflow.getHandle(GOVERNOR_WORKFLOW_ID).query(getBudgetQuery),
      (evaluation) => evaluation !== null && new Date(evaluation.at).getTime() > Date.now() - 1000,
      'a fresh evaluation',
    );
    expect(quiet!.warnings).toEqual([]); // history alone, nothing recent: nothing to warn about
    expect((await s.http('GET', '/v1/governor', { key: KEYS.auditor })).body.mode).toBe('normal');

    await open(40, 'critical'); // now: cards, never seen before
    const governor = await eventually(
      () => s.http('GET', '/v1/governor', { key: KEYS.auditor }),
      (res) => res.body.mode === 'reduced',
      'the governor reduced autonomy on the warning',
    );
    expect(governor.body).toMatchObject({
      operator: SYSTEM_OPERATOR,
      reason: expect.stringMatching(/^early warning: /),
    });
    const [change] = (await s.http('GET', '/v1/governor/changes?limit=5', { key: KEYS.auditor })).body.items.filter(
      (item: { scope: string }) => item.scope === 'global',
    );
    expect(change.evidence.warnings).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'category_drift', scope: 'global' })]),
    );
    expect(change.evidence.warnings[0].evidence.psi).toBeGreaterThan(0.25);

    const alerts = (await s.http('GET', '/v1/governor/alerts', { key: KEYS.auditor })).body.items;
    const warned = alerts.filter((alert: { kind: string }) => alert.kind === 'early_warning');
    expect(
      warned.map((alert: { evidence: { kind: string; scope: string } }) => [alert.evidence.kind, alert.evidence.scope]),
    ).toEqual(
      expect.arrayContaining([
        ['category_drift', 'global'],
        ['unexpected_category', 'category:cards'],
      ]),
    );
  });
});
