// What became of the agent's proposals: every review is a finding, downstream teams add theirs, and
// the governor shows the error rate against the budget per window, counted from those findings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wilsonLowerBound } from '../domain/error-budget';
import { HOLDER, KEYS, startTestStack, type TestStack } from './support/stack';
import { assertBands, ticket } from './support/tickets';

let s: TestStack;

beforeAll(async () => {
  // Every finding counts here, reviews of uncertain proposals too: this file checks the counting.
  s = await startTestStack(__filename, { BUDGET_COUNTS: 'all' });
  await assertBands(s.deps.classifier);
});
afterAll(() => s?.stop());

async function decide(kind: 'auto' | 'assisted', review?: Record<string, unknown>) {
  const open = await s.http('POST', '/v1/tickets', { body: ticket(kind) });
  const caseId = open.body.caseId as string;
  if (review) {
    await s.waitForCase(caseId, (state) => state.status === 'awaiting_review', 'awaiting review');
    expect((await s.http('POST', `/v1/cases/${caseId}/review`, { key: KEYS.reviewer, body: review })).status).toBe(200);
  }
  await s.deps.client.workflow.getHandle(caseId).result();
  return caseId;
}

const feedback = (caseId: string, body: Record<string, unknown>, key: string = KEYS.service) =>
  s.http('POST', `/v1/cases/${caseId}/feedback`, { key, body });

describe('findings on the agent’s proposals', () => {
  it('every review is one: right when the case went where the agent proposed, wrong otherwise', async () => {
    const approved = await decide('assisted', { decision: 'approve' });
    const corrected = await decide('assisted', { decision: 'correct', category: 'cards' });
    const sameAsProposed = await decide('assisted', { decision: 'correct', category: 'fx' });
    const rejected = await decide('assisted', { decision: 'reject' });
    const findings = async (caseId: string) =>
      (await s.http('GET', `/v1/cases/${caseId}`, { key: KEYS.auditor })).body.outcomes;
    expect(await findings(approved)).toMatchObject([
      {
        source: 'review',
        foundBy: HOLDER.reviewer,
        verdict: 'right',
        predictedCategory: 'fx',
        actualCategory: 'fx',
        route: 'assisted',
      },
    ]);
    expect(await findings(corrected)).toMatchObject([
      { verdict: 'wrong', predictedCategory: 'fx', actualCategory: 'cards' },
    ]);
    expect(await findings(sameAsProposed)).toMatchObject([{ verdict: 'right' }]);
    expect(await findings(rejected)).toMatchObject([{ verdict: 'wrong', actualCategory: null }]);
    const auto = await decide('auto');
    expect(await findings(auto)).toEqual([]); // an automatic decision is no finding by itself
  });

  it('downstream feedback: once per case and source, only on decided cases', async () => {
    const auto = await decide('auto');
    const first = await feedback(auto, {
      verdict: 'wrong',
      category: 'cards',
      source: 'payments-team',
      comment: 'not ours',
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      source: 'feedback',
      foundBy: 'payments-team',
      verdict: 'wrong',
      actualCategory: 'cards',
      route: 'auto',
    });
    const again = await feedback(auto, { verdict: 'wrong', category: 'cards', source: 'payments-team' });
    expect(again.status).toBe(200);
    expect(again.body.at).toBe(first.body.at);
    const changed = await feedback(auto, { verdict: 'right', source: 'payments-team' });
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe('feedback_conflict');
    expect((await feedback(auto, { verdict: 'right', source: 'qa-sampler' }, KEYS.reviewer)).status).toBe(201);

    const waiting = (await s.http('POST', '/v1/tickets', { body: ticket('assisted') })).body.caseId;
    await s.waitForCase(waiting, (state) => state.status === 'awaiting_review', 'awaiting review');
    expect((await feedback(waiting, { verdict: 'wrong', source: 'payments-team' })).body.error.code).toBe(
      'not_decided',
    );
    expect((await feedback('ticket-nobody-here', { verdict: 'wrong', source: 'x' })).status).toBe(404);
    expect((await feedback(auto, { verdict: 'wrong', category: 'astrology', source: 'y' })).status).toBe(400);
    expect((await feedback(auto, { verdict: 'right', category: 'cards', source: 'y' })).status).toBe(400);
    expect((await feedback(auto, { verdict: 'wrong', source: 'y' }, KEYS.auditor)).status).toBe(403);
  });
});

describe('the error budget per window', () => {
  it('counts reviews and feedback on automatic decisions, with the Wilson lower bound', async () => {
    // Everything the tests above found: 4 reviews (2 right, 2 wrong) and, on automatic decisions,
    // one wrong and one right feedback. Feedback on a reviewed case judges the reviewer, not the agent.
    const reviewed = await decide('assisted', { decision: 'approve' });
    expect((await feedback(reviewed, { verdict: 'wrong', source: 'payments-team' })).status).toBe(201);
    const evaluated = 4 + 1 + 2;
    const errors = 2 + 0 + 1;
    const governor = (await s.http('GET', '/v1/governor', { key: KEYS.auditor })).body;
    expect(governor.budget.budget).toBe(0.02);
    for (const window of governor.budget.windows) {
      expect(window).toMatchObject({ evaluated, errors });
      expect(window.rate).toBeCloseTo(errors / evaluated, 10);
      expect(window.lowerBound).toBeCloseTo(wilsonLowerBound(errors, evaluated), 10);
      expect(window.lowerBound).toBeLessThan(window.rate);
      expect(window.budgetLeft).toBeCloseTo(1 - errors / evaluated / 0.02, 10);
    }
    expect(governor.budget.windows.map((window: { window: string }) => window.window)).toEqual(['5m', '1h']);
  });
});

describe('audits of automatic decisions', () => {
  let audited: TestStack;
  beforeAll(async () => {
    audited = await startTestStack(__filename, { AUDIT_RATE: '1' });
  });
  afterAll(() => audited?.stop());

  it('a drawn decision waits in the audit queue; a reviewer confirms or corrects it; the decision stands', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const open = await audited.http('POST', '/v1/tickets', { body: ticket('auto') });
      ids.push(open.body.caseId);
      expect(await audited.deps.client.workflow.getHandle(open.body.caseId).result()).toMatchObject({
        outcome: 'auto_decided',
      });
    }
    const queue = await audited.http('GET', '/v1/cases?status=audit', { key: KEYS.reviewer });
    expect(queue.body.items.map((item: { caseId: string }) => item.caseId).sort()).toEqual([...ids].sort());
    expect(queue.body.items[0]).toMatchObject({ status: 'audit', decision: { outcome: 'auto_decided' } });

    const review = (caseId: string, body: Record<string, unknown>) =>
      audited.http('POST', `/v1/cases/${caseId}/review`, { key: KEYS.reviewer, body });
    const confirmed = await review(ids[0], { decision: 'approve' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({
      status: 'decided',
      category: 'payments',
      decision: { outcome: 'auto_decided' },
    });
    expect(confirmed.body.outcomes).toMatchObject([{ source: 'audit', foundBy: HOLDER.reviewer, verdict: 'right' }]);
    const corrected = await review(ids[1], { decision: 'correct', category: 'cards', comment: 'card fee' });
    expect(corrected.body.outcomes).toMatchObject([{ source: 'audit', verdict: 'wrong', actualCategory: 'cards' }]);
    expect(corrected.body.decision.finalCategory).toBe('payments'); // the decision stays recorded
    expect((await review(ids[0], { decision: 'approve' })).status).toBe(409); // audited already

    const figures = (await audited.http('GET', '/v1/governor', { key: KEYS.auditor })).body.budget.windows[1];
    expect(figures).toMatchObject({ evaluated: 2, errors: 1 });
  });
});
