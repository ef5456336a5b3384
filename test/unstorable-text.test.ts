// Text PostgreSQL cannot store (NUL, lone surrogates, invalid UTF-8) is refused at every entrance
// with a 400 that names the field, and nothing is written: no case, no workflow, no mode change.
// Before, such a request started a workflow whose recording retried forever.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOLDER, KEYS, startTestStack, type TestStack } from './support/stack';
import type { ticketWorkflow } from '../workflows/ticket';
import { TEXTS, ticket } from './support/tickets';

let s: TestStack;

beforeAll(async () => {
  s = await startTestStack(__filename);
});
afterAll(() => s?.stop());

const BAD_TEXTS = { nul: 'ab\u0000cd', 'lone high surrogate': 'x\ud800', 'lone low surrogate': '\udc00y' };

async function workflowCount(workflowId: string): Promise<number> {
  let count = 0;
  for await (const _ of s.deps.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) count++;
  return count;
}

describe.each(Object.entries(BAD_TEXTS))('text with a %s', (_name, bad) => {
  it.each([
    ['subject', (t: Record<string, unknown>) => ({ ...t, subject: bad })],
    ['body', (t: Record<string, unknown>) => ({ ...t, body: bad })],
    ['customer.id', (t: Record<string, unknown>) => ({ ...t, customer: { id: bad } })],
    ['customer.tier', (t: Record<string, unknown>) => ({ ...t, customer: { id: 'c1', tier: bad } })],
  ])('in a ticket %s: 400, no case and no workflow', async (field, withBad) => {
    const sent = ticket('auto');
    const res = await s.http('POST', '/v1/tickets', { body: withBad(sent) });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_text', field });
    expect(await s.deps.db('cases').where({ external_id: sent.externalId })).toHaveLength(0);
    expect(await workflowCount(`ticket-${sent.externalId}`)).toBe(0);
  });

  it('in a review: 400 before it reaches the case, which can still be reviewed', async () => {
    const open = await s.http('POST', '/v1/tickets', { body: ticket('assisted') });
    const caseId = open.body.caseId as string;
    await s.waitForCase(caseId, (state) => state.status === 'awaiting_review', 'awaiting review');
    for (const body of [
      { decision: 'approve', reviewer: bad },
      { decision: 'reject', comment: bad },
    ]) {
      const res = await s.http('POST', `/v1/cases/${caseId}/review`, { key: KEYS.reviewer, body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_text');
    }
    // The Web UI's signal bypasses the API: the workflow refuses it and keeps the refusal.
    const handle = s.deps.client.workflow.getHandle(caseId);
    await handle.signal('review', { decision: 'approve', reviewer: bad });
    const state = await s.waitForCase(caseId, (current) => current.refusedReviews.length === 1, 'refusing the signal');
    expect(state.status).toBe('awaiting_review');
    expect(state.refusedReviews[0].reason).toMatch(/^reviewer: contains/);

    const good = await s.http('POST', `/v1/cases/${caseId}/review`, {
      key: KEYS.reviewer,
      body: { decision: 'approve' },
    });
    expect(good.status).toBe(200);
    expect(good.body.decision).toMatchObject({ outcome: 'approved', reviewer: HOLDER.reviewer });
  });

  it('in a mode change reason: 400, and the governor still changes mode afterwards', async () => {
    const before = (await s.http('GET', '/v1/governor', { key: KEYS.auditor })).body;
    const res = await s.http('POST', '/v1/governor/mode', { key: KEYS.ops, body: { mode: 'reduced', reason: bad } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_text', field: 'reason' });
    expect((await s.http('GET', '/v1/governor', { key: KEYS.auditor })).body).toEqual(before);

    // The governor's own validator refuses it too (ops with the CLI reach it without the API).
    const governor = s.deps.client.workflow.getHandle('agent-ops-governor');
    await expect(
      governor.executeUpdate('setMode', { args: [{ mode: 'reduced', reason: bad, operator: 'ops' }] }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/^the reason contains/) } });
    const next = before.mode === 'reduced' ? 'normal' : 'reduced';
    const change = await s.http('POST', '/v1/governor/mode', { key: KEYS.ops, body: { mode: next, reason: 'fine' } });
    expect(change.status).toBe(200);
    expect((await s.http('GET', '/v1/governor', { key: KEYS.auditor })).body.mode).toBe(next);
  });
});

describe('bytes and paths the API cannot read', () => {
  it('a body that is not valid UTF-8 is refused, not turned into U+FFFD', async () => {
    const json = Buffer.concat([
      Buffer.from('{"externalId":"utf-1","subject":"caf'),
      Buffer.from([0xc3, 0x28]), // an invalid two-byte sequence
      Buffer.from('","body":"b"}'),
    ]);
    const res = await fetch(`${s.api.url}/v1/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.service}`, 'content-type': 'application/json' },
      body: json,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_text');
    expect(await s.deps.db('cases').where({ external_id: 'utf-1' })).toHaveLength(0);
  });

  it('a malformed percent-encoding in a case id is a 400, not a 500', async () => {
    const res = await s.http('GET', '/v1/cases/ticket-%zz', { key: KEYS.auditor });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/percent-encoding/);
  });

  it('a body that does not match its Content-Encoding is a 4xx, not a 500', async () => {
    const sent = ticket('auto');
    const res = await s.http('POST', '/v1/tickets', {
      raw: JSON.stringify(sent),
      headers: { 'content-encoding': 'gzip' },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.code).toBeTruthy();
    expect(await s.deps.db('cases').where({ external_id: sent.externalId })).toHaveLength(0);
  });

  it('a cursor that decodes but names no date is a 400', async () => {
    const cursor = Buffer.from(JSON.stringify(['not a date', 'ticket-x'])).toString('base64url');
    const res = await s.http('GET', `/v1/cases?cursor=${cursor}`, { key: KEYS.auditor });
    expect(res.status).toBe(400);
    const numeric = Buffer.from(JSON.stringify(['1', 'ticket-x'])).toString('base64url');
    expect((await s.http('GET', `/v1/cases?cursor=${numeric}`, { key: KEYS.auditor })).status).toBe(200);
  });
});

describe('the second line: a case whose data PostgreSQL refuses anyway', () => {
  it('is parked in the manual queue with the reason instead of retrying forever, and a person decides it', async () => {
    // Started with the Temporal client, past the API's guard, as a script or another service might.
    const externalId = `second-line-${Date.now()}`;
    const handle = await s.deps.client.workflow.start<typeof ticketWorkflow>('ticketWorkflow', {
      workflowId: `ticket-${externalId}`,
      taskQueue: s.config.taskQueue,
      args: [
        {
          ticket: { externalId, ...TEXTS.auto, subject: 'Charged\u0000 twice', receivedAt: new Date().toISOString() },
          thresholds: s.config.thresholds,
          reviewTimeouts: s.config.reviewTimeouts,
          classifier: 'local',
        },
      ],
    });
    const parked = await s.waitForCase(handle.workflowId, (state) => state.problem !== undefined, 'parked');
    expect(parked).toMatchObject({ status: 'manual', route: 'manual', routeReason: 'unrecordable_data' });
    expect(parked.problem).toMatch(/22P05|22021/);

    const view = await s.http('GET', `/v1/cases/${handle.workflowId}`, { key: KEYS.reviewer });
    expect(view.body).toMatchObject({ status: 'manual', routeReason: 'unrecordable_data' });
    expect(view.body.problem).toMatch(/PostgreSQL refused the data/);
    expect(view.body.ticket.subject).toBe('Charged\ufffd twice');
    const alerts = await s.http('GET', '/v1/governor/alerts', { key: KEYS.auditor });
    expect(alerts.body.items).toContainEqual(
      expect.objectContaining({ kind: 'case_parked', caseId: handle.workflowId, severity: 'warning' }),
    );
    const queue = await s.http('GET', '/v1/cases?status=manual', { key: KEYS.reviewer });
    expect(queue.body.items.map((item: { caseId: string }) => item.caseId)).toContain(handle.workflowId);

    const decided = await s.http('POST', `/v1/cases/${handle.workflowId}/review`, {
      key: KEYS.reviewer,
      body: { decision: 'approve' },
    });
    expect(decided.status).toBe(200);
    expect(await handle.result()).toMatchObject({ outcome: 'approved', routeReason: 'unrecordable_data' });
    expect(await s.deps.db('decisions').where({ case_id: handle.workflowId })).toHaveLength(1);
  });
});
