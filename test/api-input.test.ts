// The API's edge: authentication, roles, and bad input answered with a 4xx naming the field,
// with nothing written when a request is refused.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../api/app';
import { CaseService } from '../api/services/cases';
import { GovernorService } from '../api/services/governor';
import { createDb } from '../db/connect';
import { HOLDER, KEYS, startTestStack, type TestStack } from './support/stack';
import { ticket } from './support/tickets';

let s: TestStack;

beforeAll(async () => {
  s = await startTestStack(__filename, { BODY_LIMIT: '8kb' });
});
afterAll(() => s?.stop());

function caseServiceDeps() {
  return {
    client: s.deps.client,
    db: s.deps.db,
    taskQueue: s.config.taskQueue,
    thresholds: s.config.thresholds,
    reviewTimeouts: s.config.reviewTimeouts,
    reviewDeadlineMs: s.config.reviewDeadlineMs,
    modes: s.deps.modes,
    invoicePolicy: s.config.invoicePolicy,
    invoiceMaxBytes: s.config.invoiceMaxBytes,
  };
}

async function caseCount(): Promise<number> {
  const [{ count }] = await s.deps.db('cases').count({ count: '*' });
  return Number(count);
}

describe('authentication and roles', () => {
  it('401 without a key or with an unknown key', async () => {
    for (const key of [null, 'wrong-key']) {
      const res = await s.http('POST', '/v1/tickets', { key, body: ticket('auto') });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
    expect((await s.http('GET', '/v1/cases', { key: null })).status).toBe(401);
  });

  it('403 for a key without the role the action needs', async () => {
    expect((await s.http('POST', '/v1/tickets', { key: KEYS.reviewer, body: ticket('auto') })).status).toBe(403);
    expect(
      (
        await s.http('POST', '/v1/cases/ticket-x/review', {
          key: KEYS.service,
          body: { decision: 'approve' },
        })
      ).status,
    ).toBe(403);
    expect(
      (await s.http('POST', '/v1/governor/mode', { key: KEYS.reviewer, body: { mode: 'reduced', reason: 'x' } }))
        .status,
    ).toBe(403);
    expect(
      (await s.http('POST', '/v1/governor/mode', { key: KEYS.auditor, body: { mode: 'reduced', reason: 'x' } })).status,
    ).toBe(403);
    expect(await caseCount()).toBe(0);
  });

  it('a key may hold several roles', async () => {
    const read = await s.http('GET', '/v1/governor', { key: KEYS.reviewerOps });
    expect(read.status).toBe(200);
    expect(read.body.mode).toBe('normal');
    const refused = await s.http('POST', '/v1/cases/ticket-unknown/review', {
      key: KEYS.reviewerOps,
      body: { decision: 'approve' },
    });
    expect(refused.status).toBe(404); // past auth: the case does not exist
  });

  it('not ready while no worker polls the task queue: cases would start and wait for nobody', async () => {
    const app = createApp({
      client: s.deps.client,
      db: s.deps.db,
      cases: new CaseService({ ...caseServiceDeps(), taskQueue: 'nobody-polls-this' }),
      governor: new GovernorService(s.deps.client, s.deps.db),
      apiKeys: s.config.apiKeys!,
      bodyLimit: '8kb',
      rateLimitPerMinute: 0,
      taskQueue: 'nobody-polls-this',
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const ready = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { checks: unknown }).checks).toEqual({
        temporal: { ok: true },
        postgres: { ok: true },
        worker: { ok: false },
      });
    } finally {
      server.close();
    }
  });

  it('health needs no key; readiness checks Temporal, PostgreSQL and a polling worker', async () => {
    expect((await s.http('GET', '/healthz', { key: null })).status).toBe(200);
    const ready = await s.http('GET', '/readyz', { key: null });
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ temporal: { ok: true }, postgres: { ok: true }, worker: { ok: true } });
  });
});

describe('bad input gets a 4xx that names the problem, and writes nothing', () => {
  const cases: [string, () => Promise<{ status: number; body: any }>, number, RegExp][] = [
    ['malformed JSON', () => s.http('POST', '/v1/tickets', { raw: '{"externalId": "a",' }), 400, /not valid JSON/],
    [
      'missing subject',
      () => s.http('POST', '/v1/tickets', { body: { externalId: 'a-1', body: 'x' } }),
      400,
      /^subject/,
    ],
    [
      'empty body',
      () => s.http('POST', '/v1/tickets', { body: { externalId: 'a-2', subject: 's', body: '   ' } }),
      400,
      /^body/,
    ],
    [
      'externalId with spaces',
      () => s.http('POST', '/v1/tickets', { body: { externalId: 'a b', subject: 's', body: 'b' } }),
      400,
      /^externalId/,
    ],
    [
      'oversized subject',
      () => s.http('POST', '/v1/tickets', { body: { externalId: 'a-3', subject: 'x'.repeat(501), body: 'b' } }),
      400,
      /^subject/,
    ],
    [
      'unknown field',
      () => s.http('POST', '/v1/tickets', { body: { externalId: 'a-4', subject: 's', body: 'b', priority: 1 } }),
      400,
      /unknown field.*priority/,
    ],
    [
      'body over the size limit',
      () => s.http('POST', '/v1/tickets', { body: { externalId: 'a-5', subject: 's', body: 'x'.repeat(9000) } }),
      413,
      /exceeds/,
    ],
    [
      'not JSON content type',
      () =>
        s.http('POST', '/v1/tickets', {
          raw: 'externalId=a',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      415,
      /application\/json/,
    ],
    [
      'customer without id',
      () =>
        s.http('POST', '/v1/tickets', {
          body: { externalId: 'a-6', subject: 's', body: 'b', customer: { tier: 'gold' } },
        }),
      400,
      /^customer\.id/,
    ],
  ];
  it.each(cases)('%s', async (_name, send, status, message) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
    expect(await caseCount()).toBe(0);
  });

  it('unknown review decision, missing category for a correction, unknown category', async () => {
    const bad = [
      [{ decision: 'maybe' }, /^decision/],
      [{ decision: 'correct' }, /^category/],
      [{ decision: 'correct', category: 'astrology' }, /^category/],
      [{ decision: 'approve', category: 'cards' }, /^category/],
      [{ decision: 'approve', reviewer: ' ' }, /^reviewer/],
    ] as const;
    for (const [body, message] of bad) {
      const res = await s.http('POST', '/v1/cases/ticket-any/review', { key: KEYS.reviewer, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
  });

  it('bad mode changes and query strings', async () => {
    const mode = await s.http('POST', '/v1/governor/mode', { key: KEYS.ops, body: { mode: 'turbo', reason: 'x' } });
    expect(mode.status).toBe(400);
    expect(mode.body.error.field).toBe('mode');
    expect((await s.http('POST', '/v1/governor/mode', { key: KEYS.ops, body: { mode: 'reduced' } })).status).toBe(400);
    expect((await s.http('GET', '/v1/cases?status=lost', { key: KEYS.auditor })).status).toBe(400);
    expect((await s.http('GET', '/v1/cases?limit=0', { key: KEYS.auditor })).status).toBe(400);
    expect((await s.http('GET', '/v1/cases?cursor=garbage', { key: KEYS.auditor })).status).toBe(400);
    expect((await s.http('GET', '/v1/nothing-here', { key: KEYS.auditor })).status).toBe(404);
    expect((await s.http('GET', '/v1/governor', { key: KEYS.auditor })).body.mode).toBe('normal');
  });
});

describe('the published contract', () => {
  it('serves an OpenAPI document generated from the validating schemas', async () => {
    const res = await s.http('GET', '/v1/openapi.json', { key: null });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/v1/tickets', '/v1/cases/{caseId}/review', '/v1/governor/mode']),
    );
    const ticket = res.body.paths['/v1/tickets'].post.requestBody.content['application/json'].schema;
    expect(ticket.required).toEqual(expect.arrayContaining(['externalId', 'subject', 'body']));
    expect(ticket.additionalProperties).toBe(false);
    const review = res.body.paths['/v1/cases/{caseId}/review'].post.requestBody.content['application/json'].schema;
    // Every kind's decisions; which one a case takes is checked once the case is known.
    expect(review.properties.decision.enum).toEqual(['approve', 'correct', 'reject', 'request_changes']);
    const invoice = res.body.paths['/v1/invoices'].post.requestBody.content['multipart/form-data'].schema;
    expect(invoice.required).toEqual(['file', 'externalId']);
    expect(Object.keys(invoice.properties)).toEqual(['file', 'externalId', 'vendorId', 'poNumber', 'submittedBy']);
  });
});

describe('the review queue', () => {
  it('lists newest first and pages with a cursor', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await s.http('POST', '/v1/tickets', { body: ticket('manual') });
      ids.push(res.body.caseId);
    }
    for (const id of ids) await s.waitForCase(id, (c) => c.status === 'manual', 'manual');
    const first = await s.http('GET', '/v1/cases?status=manual&limit=2', { key: KEYS.reviewer });
    expect(first.body.items.map((c: { caseId: string }) => c.caseId)).toEqual([ids[2], ids[1]]);
    expect(first.body.nextCursor).toBeTruthy();
    const second = await s.http('GET', `/v1/cases?status=manual&limit=2&cursor=${first.body.nextCursor}`, {
      key: KEYS.reviewer,
    });
    expect(second.body.items.map((c: { caseId: string }) => c.caseId)).toEqual([ids[0]]);
    expect(second.body.nextCursor).toBeNull();
  });
});

describe('when a backing service does not answer', () => {
  it('answers 503 (retry later), and readiness says which one is down', async () => {
    const deadDb = createDb('postgres://postgres@127.0.0.1:1/nothing', { min: 0, max: 1 });
    const cases = new CaseService({ ...caseServiceDeps(), db: deadDb });
    const access: Record<string, unknown>[] = [];
    const app = createApp({
      client: s.deps.client,
      db: deadDb,
      cases,
      governor: new GovernorService(s.deps.client, deadDb),
      apiKeys: s.config.apiKeys!,
      bodyLimit: '8kb',
      rateLimitPerMinute: 0,
      taskQueue: s.config.taskQueue,
      log: () => undefined,
      accessLog: (e) => access.push(e),
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const read = await fetch(`${url}/v1/cases/ticket-anything`, {
        headers: { authorization: `Bearer ${KEYS.auditor}` },
      });
      expect(read.status).toBe(503);
      expect(((await read.json()) as { error: { code: string } }).error.code).toBe('unavailable');
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(503);
      // Only whether each check passed: no backend error text for an anonymous caller.
      expect(((await ready.json()) as { checks: unknown }).checks).toEqual({
        temporal: { ok: true },
        postgres: { ok: false },
        worker: { ok: true },
      });
      // The access log names the key's holder (never the key itself) and the outcome.
      expect(access).toMatchObject([
        {
          method: 'GET',
          path: '/v1/cases/ticket-anything',
          status: 503,
          holder: HOLDER.auditor,
        },
        { method: 'GET', path: '/readyz', status: 503, holder: null },
      ]);
    } finally {
      server.close();
      await deadDb.destroy();
    }
  });
});
