// A ticket end to end through the real API, Temporal and PostgreSQL: each route the policy can
// take, each review decision, and the decision record an auditor reads afterwards.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeCase } from '../domain/routing';
import { CaseCategory, CaseSuggestedCategory } from '../workflows/search-attributes';
import type { TicketCaseState, TicketDecision } from '../domain/ticket/types';
import { eventually } from './support/eventually';
import { HOLDER, KEYS, startTestStack, type TestStack } from './support/stack';
import { assertBands, ticket } from './support/tickets';

let s: TestStack;

beforeAll(async () => {
  s = await startTestStack(__filename);
  await assertBands(s.deps.classifier);
});
afterAll(() => s?.stop());

async function open(kind: Parameters<typeof ticket>[0], extra = {}) {
  const t = ticket(kind, extra);
  const res = await s.http('POST', '/v1/tickets', { body: t });
  expect(res.status).toBe(202);
  return { t, caseId: res.body.caseId as string };
}

async function result(caseId: string): Promise<TicketDecision> {
  return s.deps.client.workflow.getHandle(caseId).result();
}

async function review(caseId: string, body: Record<string, unknown>, key: string = KEYS.reviewer) {
  return s.http('POST', `/v1/cases/${caseId}/review`, { key, body });
}

describe('a confident ticket is decided by the agent alone', () => {
  it('routes auto, records the decision with model, thresholds and mode', async () => {
    const { caseId } = await open('auto', { customer: { id: 'c-1', tier: 'gold' } });
    const decision = await result(caseId);
    expect(decision.outcome).toBe('auto_decided');
    expect(decision.route).toBe('auto');
    expect(decision.mode).toBe('normal');
    expect(decision.suggestion.confidence).toBeGreaterThan(0.85);

    const view = (await s.http('GET', `/v1/cases/${caseId}`, { key: KEYS.auditor })).body;
    expect(view).toMatchObject({
      status: 'decided',
      route: 'auto',
      mode: 'normal',
      kind: 'ticket',
      category: 'payments',
      suggestion: { intent: 'transaction_charged_twice', category: 'payments' },
    });
    expect(view.decision).toMatchObject({ outcome: 'auto_decided', finalCategory: 'payments', reviewer: null });
    expect(view.modelVersion).toMatch(/^banking77-tfidf-softmax@/);
    expect(view.suggestion.explanation.map((weight: { feature: string }) => weight.feature)).toContain('twice');
    expect(view.suggestion.nearest).toHaveLength(3);
    expect(view.suggestion.nearest[0].intent).toBe('transaction_charged_twice');
    expect(view.ticket).toEqual({
      subject: 'Charged twice',
      body: 'I was charged twice for the same coffee',
      customer: { id: 'c-1', tier: 'gold' },
    });
    expect(view.runId).toBeTruthy();

    const row = await s.deps.db('decisions').where({ case_id: caseId }).first();
    expect(row).toMatchObject({ outcome: 'auto_decided', route: 'auto', mode: 'normal', route_reason: 'confident' });
    expect(row.thresholds).toEqual({ auto: 0.85, assisted: 0.6, reducedAuto: 0.95 });
    expect(row.model_version).toBe(decision.suggestion.modelVersion);
  });
});

describe('an uncertain ticket waits for a human', () => {
  it('approved: the suggestion becomes the decision and the reviewer is recorded', async () => {
    const { caseId } = await open('assisted');
    const waiting = await s.waitForCase(caseId, (c) => c.status === 'awaiting_review', 'awaiting review');
    expect(waiting.route).toBe('assisted');
    const c = waiting.suggestion!;
    expect(
      routeCase({ confidence: c.confidence, anomaly: c.anomaly, mode: 'normal', thresholds: s.config.thresholds })
        .route,
    ).toBe('assisted');

    const queue = await s.http('GET', '/v1/cases?status=awaiting_review', { key: KEYS.reviewer });
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((i: { caseId: string }) => i.caseId)).toContain(caseId);

    // The reviewer is the key's holder; the body need not name them.
    const res = await review(caseId, { decision: 'approve', comment: 'looks right' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'decided', reviewer: HOLDER.reviewer });
    expect(res.body.decision).toMatchObject({
      outcome: 'approved',
      finalCategory: c.category,
      reviewer: HOLDER.reviewer,
      comment: 'looks right',
      via: 'update',
    });
    expect((await result(caseId)).outcome).toBe('approved');
  });

  it('corrected: the reviewer’s category is where the case goes; the model’s stays on record as its proposal', async () => {
    const { caseId } = await open('assisted');
    const waiting = await s.waitForCase(caseId, (c) => c.status === 'awaiting_review', 'awaiting review');
    expect(waiting.suggestion!.category).toBe('fx');
    const before = await s.http('GET', `/v1/cases/${caseId}`, { key: KEYS.service });
    expect(before.body).toMatchObject({ category: 'fx', suggestion: { category: 'fx' }, decision: null });

    const res = await review(
      caseId,
      { decision: 'correct', category: 'cards', reviewer: HOLDER.reviewer2 },
      KEYS.reviewer2,
    );
    expect(res.status).toBe(200);
    expect(res.body.decision).toMatchObject({
      outcome: 'corrected',
      finalCategory: 'cards',
      reviewer: HOLDER.reviewer2,
    });
    expect(res.body.category).toBe('cards');
    expect(res.body.suggestion).toMatchObject({
      category: 'fx',
      intent: (waiting as TicketCaseState).suggestion!.intent,
    });
    const after = await s.http('GET', `/v1/cases/${caseId}`, { key: KEYS.service });
    expect(after.body).toMatchObject({ category: 'cards', suggestion: { category: 'fx' } });
    const row = await s.deps.db('decisions').where({ case_id: caseId }).first();
    expect(row).toMatchObject({ outcome: 'corrected', final_category: 'cards', reviewer: HOLDER.reviewer2 });

    // The Web UI lists it under the team it went to, and under the model's proposal apart.
    const description = await s.deps.client.workflow.getHandle(caseId).describe();
    expect(description.typedSearchAttributes.get(CaseCategory)).toBe('cards');
    expect(description.typedSearchAttributes.get(CaseSuggestedCategory)).toBe('fx');
  });

  it('rejected: no category is assigned', async () => {
    const { caseId } = await open('assisted');
    await s.waitForCase(caseId, (c) => c.status === 'awaiting_review', 'awaiting review');
    const res = await review(caseId, { decision: 'reject', comment: 'spam' });
    expect(res.status).toBe(200);
    expect(res.body.decision).toMatchObject({ outcome: 'rejected', finalCategory: null });
    expect(res.body.category).toBeNull();
    expect(res.body.suggestion.category).toBe('fx');
    const description = await s.deps.client.workflow.getHandle(caseId).describe();
    expect(description.typedSearchAttributes.get(CaseCategory)).toBeUndefined();
  });
});

describe('a ticket the model is unsure of or has never seen the like of goes to a human outright', () => {
  it('low confidence: manual queue, a human decides', async () => {
    const { caseId } = await open('manual');
    const st = await s.waitForCase(caseId, (c) => c.status === 'manual', 'manual');
    expect(st).toMatchObject({ route: 'manual', routeReason: 'low_confidence', suggestionVisible: true });
    const queue = await s.http('GET', '/v1/cases?status=manual', { key: KEYS.auditor });
    expect(queue.body.items.map((i: { caseId: string }) => i.caseId)).toContain(caseId);
    const res = await review(caseId, { decision: 'correct', category: 'payments' });
    expect(res.body.decision).toMatchObject({ outcome: 'corrected', finalCategory: 'payments' });
    expect((await result(caseId)).route).toBe('manual');
  });

  it('anomaly: manual even though the model names a category', async () => {
    const { caseId } = await open('anomaly');
    const st = await s.waitForCase(caseId, (c) => c.status === 'manual', 'manual');
    expect(st.routeReason).toBe('anomaly');
    expect(st.suggestion!.anomaly).toBe(true);
  });
});

describe('the same external id is the same case', () => {
  it('a second POST returns the first case with 200 and starts no second workflow', async () => {
    const t = ticket('auto');
    const first = await s.http('POST', '/v1/tickets', { body: t });
    // The same request with its keys in another order is the same request.
    const reordered = Object.fromEntries(Object.entries(t).reverse());
    const second = await s.http('POST', '/v1/tickets', { body: reordered });
    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    expect(second.body.caseId).toBe(first.body.caseId);
    await result(first.body.caseId);
    const third = await s.http('POST', '/v1/tickets', { body: t });
    expect(third).toMatchObject({ status: 200, body: { caseId: first.body.caseId, status: 'decided' } });
    const runs = [];
    for await (const wf of s.deps.client.workflow.list({ query: `WorkflowId = '${first.body.caseId}'` }))
      runs.push(wf.runId);
    expect(runs).toHaveLength(1);
    const rows = await s.deps.db('cases').where({ external_id: t.externalId });
    expect(rows).toHaveLength(1);
    await expect(
      s.deps.client.workflow.start('ticketWorkflow', {
        workflowId: first.body.caseId,
        taskQueue: s.config.taskQueue,
        args: [],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }),
    ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
  });
});

describe('an externalId reused with a different request', () => {
  it('is refused with 409 idempotency_conflict, before and after the case is decided', async () => {
    const t = ticket('auto');
    expect((await s.http('POST', '/v1/tickets', { body: t })).status).toBe(202);
    for (const changed of [
      { ...t, body: 'a different body' },
      { ...t, customer: { id: 'someone-else' } },
    ]) {
      const res = await s.http('POST', '/v1/tickets', { body: changed });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'idempotency_conflict', field: 'externalId' });
    }
    await result(`ticket-${t.externalId}`);
    expect((await s.http('POST', '/v1/tickets', { body: { ...t, subject: 'other' } })).status).toBe(409);
    const rows = await s.deps.db('cases').where({ external_id: t.externalId });
    expect(rows).toHaveLength(1);
    expect(rows[0].input.body).toBe(t.body);
  });
});

describe('reviews the case cannot take are refused and kept on record', () => {
  it('409 on a decided case, with the attempt recorded', async () => {
    const { caseId } = await open('auto');
    await result(caseId);
    const res = await review(caseId, { decision: 'approve' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('not_awaiting_review');
    const attempts = await s.deps.db('review_attempts').where({ case_id: caseId });
    expect(attempts).toMatchObject([{ reviewer: HOLDER.reviewer, refusal: 'not_awaiting_review', via: 'api' }]);
    const view = await s.http('GET', `/v1/cases/${caseId}`, { key: KEYS.auditor });
    expect(view.body.refusedReviews).toMatchObject([
      { reviewer: HOLDER.reviewer, via: 'api', refusal: 'not_awaiting_review' },
    ]);
  });

  it('409 for a second review after the first decided the case', async () => {
    const { caseId } = await open('assisted');
    await s.waitForCase(caseId, (c) => c.status === 'awaiting_review', 'awaiting review');
    const [a, b] = await Promise.all([
      review(caseId, { decision: 'approve' }, KEYS.reviewer),
      review(caseId, { decision: 'reject' }, KEYS.reviewer2),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const decision = await result(caseId);
    expect([HOLDER.reviewer, HOLDER.reviewer2]).toContain(decision.reviewer);
    expect(await s.deps.db('decisions').where({ case_id: caseId })).toHaveLength(1);
  });

  it('403 for a review that names someone other than the key holder as reviewer; the case still waits', async () => {
    const { caseId } = await open('assisted');
    await s.waitForCase(caseId, (c) => c.status === 'awaiting_review', 'awaiting review');
    const res = await review(caseId, { decision: 'approve', reviewer: HOLDER.reviewer2 }, KEYS.reviewer);
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'identity_mismatch', field: 'reviewer' });
    expect((await s.caseState(caseId)).status).toBe('awaiting_review');
    expect((await review(caseId, { decision: 'approve', reviewer: HOLDER.reviewer })).status).toBe(200);
  });

  it('404 for an unknown case', async () => {
    expect((await review('ticket-does-not-exist', { decision: 'approve' })).status).toBe(404);
    expect((await s.http('GET', '/v1/cases/ticket-nope', { key: KEYS.auditor })).status).toBe(404);
    expect((await s.http('GET', '/v1/cases/not%20a%20case', { key: KEYS.auditor })).status).toBe(404);
  });

  it('a review signal from the Web UI with a bad payload is refused and visible on the case', async () => {
    const { caseId } = await open('assisted');
    await s.waitForCase(caseId, (c) => c.status === 'awaiting_review', 'awaiting review');
    const handle = s.deps.client.workflow.getHandle(caseId);
    await handle.signal('review', { decision: 'correct', reviewer: 'ui-user' }); // no category
    const st = await s.waitForCase(caseId, (c) => c.refusedReviews.length > 0, 'refusing the signal');
    expect(st.status).toBe('awaiting_review');
    expect(st.refusedReviews[0].reason).toMatch(/category/);
    // Kept in review_attempts too, and shown on the case, with the declared reviewer.
    const attempts = await eventually(
      () => s.deps.db('review_attempts').where({ case_id: caseId }),
      (rows) => rows.length === 1,
      'the refused signal recorded',
    );
    expect(attempts[0]).toMatchObject({ reviewer: 'ui-user', via: 'signal', refusal: 'invalid_review' });
    const view = await s.http('GET', `/v1/cases/${caseId}`, { key: KEYS.auditor });
    expect(view.body.refusedReviews).toMatchObject([{ reviewer: 'ui-user', via: 'signal' }]);

    await handle.signal('review', { decision: 'approve', reviewer: 'ui-user', comment: 'from the Web UI' });
    const decision = await result(caseId);
    // The Web UI sends no identity: the reviewer is as declared, and the record says so.
    expect(decision).toMatchObject({
      outcome: 'approved',
      reviewer: 'ui-user',
      comment: 'from the Web UI',
      via: 'signal',
    });
  });
});
