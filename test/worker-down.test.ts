// While no worker runs, a review cannot be applied: the API answers 503 within its deadline
// instead of hanging, and the same review sent again once a worker is back is applied once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually';
import { HOLDER, KEYS, startTestStack, type TestStack } from './support/stack';
import { ticket } from './support/tickets';

let s: TestStack;

beforeAll(async () => {
  s = await startTestStack(__filename, { REVIEW_DEADLINE: '2s' });
});
afterAll(() => s?.stop());

describe('a review while no worker runs', () => {
  it('answers 503 within the deadline; retried once a worker is back, it decides the case once', async () => {
    const open = await s.http('POST', '/v1/tickets', { body: ticket('assisted') });
    const caseId = open.body.caseId as string;
    await s.waitForCase(caseId, (state) => state.status === 'awaiting_review', 'awaiting review');
    await s.worker.stop();

    const review = { decision: 'correct', category: 'cards', comment: 'card issue' };
    const started = Date.now();
    const pending = await s.http('POST', `/v1/cases/${caseId}/review`, { key: KEYS.reviewer, body: review });
    expect(pending.status).toBe(503);
    expect(pending.body.error.code).toBe('review_not_confirmed');
    expect(Date.now() - started).toBeLessThan(s.config.reviewDeadlineMs + 5_000);

    await s.restartWorker();
    // What a client does after a 503: send the same request again until it is answered.
    const decided = await eventually(
      () => s.http('POST', `/v1/cases/${caseId}/review`, { key: KEYS.reviewer, body: review }),
      (res) => res.status !== 503,
      'answered once the worker is back',
      60_000,
    );
    expect(decided.status).toBe(200);
    expect(decided.body.decision).toMatchObject({
      outcome: 'corrected',
      finalCategory: 'cards',
      reviewer: HOLDER.reviewer,
    });
    expect(await s.deps.db('decisions').where({ case_id: caseId })).toHaveLength(1);

    // Someone else's review after that finds the case decided.
    const late = await s.http('POST', `/v1/cases/${caseId}/review`, {
      key: KEYS.reviewer2,
      body: { decision: 'approve' },
    });
    expect(late.status).toBe(409);
  });
});
