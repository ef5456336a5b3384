// The attack kept in the repository: a generated corpus of bad input sent to every endpoint and to
// the workflow's review signal, and the role matrix over every endpoint. Whatever arrives, the
// answer is a 4xx in the error shape (or a documented 503), and no case or governor is left stuck.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_STATUSES } from '../domain/case';
import { GOVERNOR_WORKFLOW_ID } from '../workflows/messages';
import { eventually } from './support/eventually';
import { HOLDER, KEYS, startTestStack, type TestStack } from './support/stack';
import { ticket } from './support/tickets';

let s: TestStack;
const statuses = new Map<number, number>();
let sent = 0;

beforeAll(async () => {
  s = await startTestStack(__filename, { RATE_LIMIT: '0', BODY_LIMIT: '16kb' });
});
afterAll(async () => {
  console.log(
    `[attack] ${sent} requests; status codes seen: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
  );
  await s?.stop();
});

/** Sends one request and checks the contract every answer keeps. */
async function attack(method: string, path: string, options: Parameters<TestStack['http']>[2]) {
  const res = await s.http(method, path, options);
  sent++;
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  expect(res.status, `${method} ${path} ${JSON.stringify(options?.body ?? options?.raw)?.slice(0, 200)}`).toBeLessThan(
    500,
  );
  if (res.status >= 400) {
    expect(res.body, `${method} ${path}: error shape`).toMatchObject({
      error: { code: expect.any(String), message: expect.any(String) },
    });
  }
  return res;
}

// Text of every kind: control characters, NUL, lone surrogates, emoji, huge, empty.
const nastyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\ud800', '\udfff', 'x'.repeat(600), '%zz', '../../etc', '{"a":'),
);
const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 3 }), nastyText, fc.constant(undefined));

describe('a generated corpus of bad input', () => {
  it('POST /v1/tickets: every field replaced by anything', async () => {
    const field = fc.constantFrom('externalId', 'subject', 'body', 'customer', 'extra');
    await fc.assert(
      fc.asyncProperty(field, anyJson, async (name, value) => {
        await attack('POST', '/v1/tickets', { body: { ...ticket('auto'), [name]: value } });
      }),
      { numRuns: 120 },
    );
  });

  it('any body, any raw bytes, any content type', async () => {
    const path = fc.constantFrom('/v1/tickets', '/v1/governor/mode', '/v1/cases/ticket-nobody/review');
    const keyFor = (target: string) =>
      target.includes('mode') ? KEYS.ops : target.includes('review') ? KEYS.reviewer : KEYS.service;
    await fc.assert(
      fc.asyncProperty(path, fc.jsonValue({ maxDepth: 4 }), async (target, body) => {
        await attack('POST', target, { key: keyFor(target), body });
      }),
      { numRuns: 90 },
    );
    await fc.assert(
      fc.asyncProperty(
        path,
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.constantFrom('application/json', 'text/plain', 'application/json; charset=latin1', ''),
        async (target, raw, type) => {
          await attack('POST', target, { key: keyFor(target), raw, headers: type ? { 'content-type': type } : {} });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reviews and mode changes with every field replaced by anything', async () => {
    const open = await s.http('POST', '/v1/tickets', { body: ticket('assisted') });
    const caseId = open.body.caseId as string;
    await s.waitForCase(caseId, (state) => state.status === 'awaiting_review', 'awaiting review');
    const reviewField = fc.constantFrom('decision', 'category', 'reviewer', 'comment', 'extra');
    await fc.assert(
      fc.asyncProperty(reviewField, anyJson, async (name, value) => {
        // An unknown category or a missing one keeps the review from deciding the case.
        await attack('POST', `/v1/cases/${caseId}/review`, {
          key: KEYS.reviewer,
          body: { decision: 'correct', category: 'not-a-category', [name]: value },
        });
      }),
      { numRuns: 80 },
    );
    const modeField = fc.constantFrom('mode', 'reason', 'operator', 'extra');
    await fc.assert(
      fc.asyncProperty(modeField, anyJson, async (name, value) => {
        await attack('POST', '/v1/governor/mode', {
          key: KEYS.ops,
          body: { mode: 'turbo', reason: 'fuzz', [name]: value },
        });
      }),
      { numRuns: 60 },
    );
    expect((await s.caseState(caseId)).status).toBe('awaiting_review');
  });

  it('query strings and case ids of anything', async () => {
    const segment = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('%zz', '%', '%00', '%ED%A0%80', 'ticket-%E2%82', '..%2F..', 'ticket-ok'),
    );
    await fc.assert(
      fc.asyncProperty(
        segment,
        segment,
        fc.constantFrom('cursor', 'status', 'limit', 'kind', 'other'),
        async (id, value, name) => {
          await attack('GET', `/v1/cases/${id}`, { key: KEYS.auditor });
          await attack('GET', `/v1/cases?${name}=${value}`, { key: KEYS.auditor });
          await attack('GET', `/v1/governor/changes?limit=${value}`, { key: KEYS.auditor });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the Web UI signal with anything as payload: the case keeps waiting and a real review still decides it', async () => {
    const open = await s.http('POST', '/v1/tickets', { body: ticket('assisted') });
    const caseId = open.body.caseId as string;
    await s.waitForCase(caseId, (state) => state.status === 'awaiting_review', 'awaiting review');
    const handle = s.deps.client.workflow.getHandle(caseId);
    const payloads = fc.sample(
      fc.oneof(
        fc.jsonValue({ maxDepth: 3 }),
        fc.record({ decision: anyJson, category: anyJson, reviewer: anyJson, comment: anyJson }),
        fc.record({ decision: fc.constant('correct'), category: nastyText, reviewer: nastyText }),
      ),
      40,
    );
    let refusals = 0;
    for (const payload of payloads) {
      await handle.signal('review', payload as never);
      refusals++;
    }
    const refused = await s.waitForCase(
      caseId,
      (state) => state.refusedReviews.length === refusals,
      'refusing every bad signal',
    );
    expect(refused.status).toBe('awaiting_review');
    const decided = await s.http('POST', `/v1/cases/${caseId}/review`, {
      key: KEYS.reviewer,
      body: { decision: 'reject' },
    });
    expect(decided.status).toBe(200);
  });

  it('afterwards, no case is stuck and the governor still changes mode', async () => {
    const settled = CASE_STATUSES.filter((status) => status !== 'processing');
    const stuck = await eventually(
      () => s.deps.db('cases').whereNotIn('status', settled).select('case_id', 'status'),
      (rows) => rows.length === 0,
      'every started case settled (decided or with a person)',
    );
    expect(stuck).toEqual([]);
    // A decided case's workflow has finished too: no handler (a refused signal's record) hangs on.
    const decided: { case_id: string }[] = await s.deps.db('cases').where({ status: 'decided' }).select('case_id');
    for (const { case_id: caseId } of decided) {
      await eventually(
        () => s.deps.client.workflow.getHandle(caseId).describe(),
        (description) => description.status.name === 'COMPLETED',
        `${caseId} completed`,
      );
    }
    for await (const execution of s.deps.client.workflow.list({
      query: `ExecutionStatus = 'Running' AND CaseKind = 'ticket'`,
    })) {
      const state = await s.caseState(execution.workflowId);
      expect(settled, execution.workflowId).toContain(state.status);
    }
    const change = await s.http('POST', '/v1/governor/mode', {
      key: KEYS.ops,
      body: { mode: 'reduced', reason: 'after the attack' },
    });
    expect(change.status).toBe(200);
    const governor = await s.deps.client.workflow.getHandle(GOVERNOR_WORKFLOW_ID).describe();
    expect(governor.status.name).toBe('RUNNING');
    expect((await s.http('GET', '/v1/governor', { key: KEYS.auditor })).body).toMatchObject({
      mode: 'reduced',
      operator: HOLDER.ops,
    });
  });
});

describe('who may do what: every endpoint against every role', () => {
  // Requests that would change something carry a body the endpoint refuses (400) or name a case
  // that does not exist (404): either answer proves the key got past authorisation.
  const endpoints: {
    method: string;
    path: string;
    body?: unknown;
    allowed: (keyof typeof KEYS)[] | 'anyone' | 'any key';
  }[] = [
    { method: 'POST', path: '/v1/tickets', body: { externalId: 'rbac' }, allowed: ['service'] },
    { method: 'POST', path: '/v1/invoices', body: { externalId: 'rbac' }, allowed: ['service'] },
    { method: 'GET', path: '/v1/cases/invoice-rbac-nobody/document', allowed: 'any key' },
    { method: 'GET', path: '/v1/cases', allowed: 'any key' },
    { method: 'GET', path: '/v1/cases/ticket-rbac-nobody', allowed: 'any key' },
    {
      method: 'POST',
      path: '/v1/cases/ticket-rbac-nobody/review',
      body: { decision: 'approve' },
      allowed: ['reviewer', 'reviewer2', 'reviewerOps'],
    },
    {
      method: 'POST',
      path: '/v1/cases/ticket-rbac-nobody/feedback',
      body: { verdict: 'wrong', source: 'rbac' },
      allowed: ['service', 'reviewer', 'reviewer2', 'reviewerOps'],
    },
    { method: 'GET', path: '/v1/governor', allowed: 'any key' },
    { method: 'GET', path: '/v1/governor/changes', allowed: 'any key' },
    { method: 'GET', path: '/v1/governor/alerts', allowed: 'any key' },
    {
      method: 'POST',
      path: '/v1/governor/mode',
      body: { mode: 'turbo', reason: 'rbac' },
      allowed: ['ops', 'reviewerOps', 'serviceOps'],
    },
    { method: 'GET', path: '/healthz', allowed: 'anyone' },
    { method: 'GET', path: '/readyz', allowed: 'anyone' },
    { method: 'GET', path: '/v1/openapi.json', allowed: 'anyone' },
  ];
  const callers = [...(Object.keys(KEYS) as (keyof typeof KEYS)[]), 'none', 'unknown'] as const;
  const cases = endpoints.flatMap((endpoint) =>
    callers.map((caller) => [endpoint.method, endpoint.path, caller, endpoint] as const),
  );

  it.each(cases)('%s %s as %s', async (method, path, caller, endpoint) => {
    const key = caller === 'none' ? null : caller === 'unknown' ? 'x'.repeat(32) : KEYS[caller];
    const res = await attack(method, path, { key, body: endpoint.body });
    const mayPass =
      endpoint.allowed === 'anyone' ||
      (endpoint.allowed === 'any key' && caller !== 'none' && caller !== 'unknown') ||
      (Array.isArray(endpoint.allowed) && endpoint.allowed.includes(caller as keyof typeof KEYS));
    if (mayPass) {
      expect([401, 403]).not.toContain(res.status);
    } else if (caller === 'none' || caller === 'unknown') {
      expect(res.status).toBe(401);
    } else {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
  });
});
