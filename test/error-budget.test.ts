// The governor steers by the error budget on its own: reviews that overrule the agent are counted,
// a handful changes nothing, enough of them move the whole system into a stricter mode with the
// evidence on record, and the next ticket is routed by it.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_OPERATOR } from '../domain/modes';
import { GOVERNOR_WORKFLOW_ID, getBudgetQuery } from '../workflows/messages';
import { eventually } from './support/eventually';
import { HOLDER, KEYS, startTestStack, type TestStack } from './support/stack';
import { assertBands, ticket } from './support/tickets';

let s: TestStack;
const MIN_EVALUATED = 6;
// The operators' webhook: it fails its first delivery, then takes them.
const delivered: { kind: string; message: string; evidence?: unknown; id: number }[] = [];
let attempts = 0;
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    attempts++;
    if (attempts === 1) return res.writeHead(503).end();
    delivered.push(JSON.parse(body));
    res.writeHead(204).end();
  });
});

beforeAll(async () => {
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  const { port } = receiver.address() as AddressInfo;
  s = await startTestStack(__filename, {
    GOVERNOR_TICK: '200ms',
    BUDGET_MIN_EVALUATED: String(MIN_EVALUATED),
    ALERT_WEBHOOK_URL: `http://127.0.0.1:${port}/alerts`,
  });
  await assertBands(s.deps.classifier);
});
afterAll(async () => {
  await s?.stop();
  receiver.close();
});

let overrules = 0;
/**
 * A confident ticket the agent decides alone and the receiving team reports as misrouted, in turn
 * one for payments and one for cards: errors spread over categories, which no single category's
 * scope contains.
 */
async function overruled(): Promise<void> {
  const open = await s.http('POST', '/v1/tickets', { body: ticket(overrules++ % 2 === 0 ? 'auto' : 'critical') });
  const caseId = open.body.caseId as string;
  await s.waitForCase(caseId, (state) => state.status === 'decided', 'decided');
  const res = await s.http('POST', `/v1/cases/${caseId}/feedback`, {
    body: { verdict: 'wrong', category: 'general', source: 'receiving-team' },
  });
  expect(res.status).toBe(201);
}

/** Waits until the governor has evaluated figures that include at least `evaluated` findings. */
async function evaluatedAtLeast(evaluated: number) {
  const governor = s.deps.client.workflow.getHandle(GOVERNOR_WORKFLOW_ID);
  return eventually(
    () => governor.query(getBudgetQuery),
    (evaluation) => (evaluation?.slow.evaluated ?? 0) >= evaluated,
    `the governor evaluated ${evaluated} findings`,
  );
}

describe.sequential('the governor steers by the error budget', () => {
  it('counts what the agent would decide alone: a correction of an uncertain proposal is not an error', async () => {
    const open = await s.http('POST', '/v1/tickets', { body: ticket('assisted') });
    await s.waitForCase(open.body.caseId, (state) => state.status === 'awaiting_review', 'awaiting review');
    const res = await s.http('POST', `/v1/cases/${open.body.caseId}/review`, {
      key: KEYS.reviewer,
      body: { decision: 'correct', category: 'cards' },
    });
    expect(res.status).toBe(200);
    expect(await s.deps.db('outcomes').where({ case_id: open.body.caseId, verdict: 'wrong' })).toHaveLength(1);
    const governor = (await s.http('GET', '/v1/governor', { key: KEYS.auditor })).body;
    expect(governor.budget.windows[1]).toMatchObject({ evaluated: 0, errors: 0 });
  });

  it('does nothing on a handful of findings, however bad', async () => {
    for (let i = 0; i < MIN_EVALUATED - 1; i++) await overruled();
    const evaluation = await evaluatedAtLeast(MIN_EVALUATED - 1);
    expect(evaluation!.slow).toMatchObject({ evaluated: MIN_EVALUATED - 1, errors: MIN_EVALUATED - 1 });
    expect((await s.http('GET', '/v1/governor', { key: KEYS.auditor })).body.mode).toBe('normal');
  });

  it('with enough evidence it shuts the agent down, records why, and the next ticket goes to a person', async () => {
    await overruled();
    const governor = await eventually(
      () => s.http('GET', '/v1/governor', { key: KEYS.auditor }),
      (res) => res.body.mode === 'shutdown',
      'the governor tightened the mode',
    );
    expect(governor.body).toMatchObject({
      operator: SYSTEM_OPERATOR,
      reason: expect.stringMatching(/^error budget: /),
    });
    const [change] = (await s.http('GET', '/v1/governor/changes?limit=1', { key: KEYS.auditor })).body.items;
    expect(change).toMatchObject({ mode: 'shutdown', previousMode: 'normal', operator: SYSTEM_OPERATOR });
    expect(change.evidence).toMatchObject({
      rule: expect.stringMatching(/at least 10%/),
      slow: { evaluated: MIN_EVALUATED, errors: MIN_EVALUATED },
      policy: { minEvaluated: MIN_EVALUATED, budget: 0.02, shutdownAt: 0.1 },
    });
    expect(change.evidence.slow.lowerBound).toBeGreaterThanOrEqual(0.1);

    // The operators hear of it: an alert on record, and delivered to the webhook after a retry.
    const alerts = (await s.http('GET', '/v1/governor/alerts', { key: KEYS.auditor })).body.items;
    expect(alerts[0]).toMatchObject({
      kind: 'mode_change',
      severity: 'critical',
      message: expect.stringMatching(/normal -> shutdown/),
    });
    expect(alerts[0].evidence).toMatchObject({ slow: { evaluated: MIN_EVALUATED } });
    const sent = await eventually(
      async () => delivered,
      (got) => got.length >= 1,
      'the alert delivered to the webhook',
    );
    expect(sent[0]).toMatchObject({ kind: 'mode_change', id: alerts[0].id, evidence: { rule: change.evidence.rule } });
    expect(attempts).toBeGreaterThanOrEqual(2);

    const next = await s.http('POST', '/v1/tickets', { body: ticket('auto') });
    const routed = await s.waitForCase(next.body.caseId, (state) => state.route !== null, 'routed');
    expect(routed).toMatchObject({ route: 'manual', routeReason: 'mode_shutdown', mode: 'shutdown' });
  });

  it('a person lifts the shutdown; on the same evidence the budget tightens again at once', async () => {
    const lifted = await s.http('POST', '/v1/governor/mode', {
      key: KEYS.ops,
      body: { mode: 'human_routing', reason: 'model rolled back' },
    });
    expect(lifted.body).toMatchObject({ mode: 'human_routing', operator: HOLDER.ops });
    // The findings of the last hour still say 100% wrong: the governor goes back to shutdown.
    const again = await eventually(
      () => s.http('GET', '/v1/governor', { key: KEYS.auditor }),
      (res) => res.body.mode === 'shutdown',
      'tightened again',
    );
    expect(again.body.operator).toBe(SYSTEM_OPERATOR);
  });
});
