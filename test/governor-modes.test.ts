// Ops move the system between modes by hand; every worker process and every undecided ticket
// learns of it, and the mode narrows what the agent may decide alone.
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModeState } from '../domain/case';
import { ModeListener } from '../db/mode-listener';
import { HOLDER, KEYS, startTestStack, type TestStack } from './support/stack';
import { assertBands, ticket } from './support/tickets';

let s: TestStack;

beforeAll(async () => {
  s = await startTestStack(__filename);
  await assertBands(s.deps.classifier);
});
afterAll(() => s?.stop());

async function setMode(mode: string, reason = 'test', key: string = KEYS.ops) {
  return s.http('POST', '/v1/governor/mode', { key, body: { mode, reason } });
}

async function open(kind: Parameters<typeof ticket>[0]) {
  const res = await s.http('POST', '/v1/tickets', { body: ticket(kind) });
  return res.body.caseId as string;
}

// Run in order: each step starts from the mode the previous one left.
describe.sequential('mode changes', () => {
  it('a change is persisted, pushed to every worker process and answered with the new state', async () => {
    // A second process's view of the mode, through its own LISTEN connection.
    const other = new ModeListener(s.config.databaseUrl, s.deps.db);
    await other.start();
    try {
      const heard = once(other, 'change') as Promise<[ModeState]>;
      const res = await setMode('reduced', 'drift on cards');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ mode: 'reduced', reason: 'drift on cards', operator: HOLDER.ops });
      const [change] = await heard;
      expect(change).toMatchObject({ mode: 'reduced', seq: res.body.seq });
      expect((await s.deps.modes.current()).mode).toBe('reduced');
      const row = await s.deps.db('mode_changes').where({ seq: res.body.seq }).first();
      expect(row).toMatchObject({
        mode: 'reduced',
        previous_mode: 'normal',
        reason: 'drift on cards',
        operator: HOLDER.ops,
      });
      expect((await s.http('GET', '/v1/governor', { key: KEYS.auditor })).body).toMatchObject({
        mode: 'reduced',
        reason: 'drift on cards',
      });
    } finally {
      await other.stop();
    }
  });

  it('reduced: a ticket confident enough for normal auto still goes to a human unless above the stricter bar', async () => {
    const id = await open('assisted');
    const st = await s.waitForCase(id, (c) => c.status === 'awaiting_review', 'awaiting review');
    expect(st.mode).toBe('reduced');
    const auto = await open('auto'); // above reducedAuto: still automatic
    const decided = await s.deps.client.workflow.getHandle(auto).result();
    expect(decided).toMatchObject({ outcome: 'auto_decided', mode: 'reduced' });
    await s.http('POST', `/v1/cases/${id}/review`, {
      key: KEYS.reviewer,
      body: { decision: 'approve' },
    });
  });

  it('human_routing: even a confident ticket waits for a person', async () => {
    expect((await setMode('human_routing', 'error rate 6%/h')).status).toBe(200);
    const id = await open('auto');
    const st = await s.waitForCase(id, (c) => c.status === 'awaiting_review', 'awaiting review');
    expect(st).toMatchObject({ route: 'assisted', routeReason: 'mode_human_routing', mode: 'human_routing' });
  });

  it('a change reaches a running ticket: shutdown moves it to manual with the suggestion hidden', async () => {
    const id = await open('assisted');
    await s.waitForCase(id, (c) => c.status === 'awaiting_review', 'awaiting review');
    const res = await setMode('shutdown', 'incident 42');
    expect(res.status).toBe(200);
    const st = await s.waitForCase(id, (c) => c.mode === 'shutdown', 'told of shutdown');
    expect(st).toMatchObject({
      status: 'manual',
      route: 'manual',
      routeReason: 'mode_shutdown',
      suggestionVisible: false,
    });
    const view = (await s.http('GET', `/v1/cases/${id}`, { key: KEYS.reviewer })).body;
    expect(view).toMatchObject({
      status: 'manual',
      suggestionHidden: true,
      category: null,
      suggestion: null,
    });
    expect(view.ticket.subject).toBeTruthy();
    const sa = (await s.deps.client.workflow.getHandle(id).describe()).searchAttributes;
    expect(sa.CaseStatus).toEqual(['manual']);
    expect(sa.CaseMode).toEqual(['shutdown']);

    // Nothing to approve when the suggestion is hidden: the human names the category.
    const approve = await s.http('POST', `/v1/cases/${id}/review`, {
      key: KEYS.reviewer,
      body: { decision: 'approve' },
    });
    expect(approve.status).toBe(422);
    const correct = await s.http('POST', `/v1/cases/${id}/review`, {
      key: KEYS.reviewer,
      body: { decision: 'correct', category: 'fx' },
    });
    expect(correct.body.decision).toMatchObject({ outcome: 'corrected', finalCategory: 'fx' });
    const decision = await s.deps.client.workflow.getHandle(id).result();
    expect(decision).toMatchObject({ mode: 'shutdown', route: 'manual', routeReason: 'mode_shutdown' });
  });

  it('shutdown: the agent decides nothing, even a confident ticket', async () => {
    const id = await open('auto');
    const st = await s.waitForCase(id, (c) => c.status === 'manual', 'manual');
    expect(st).toMatchObject({ routeReason: 'mode_shutdown', suggestionVisible: false });
  });

  it('leaving shutdown takes a person; the tickets it sent to people stay with them', async () => {
    const waiting = await open('auto'); // parked in manual by shutdown
    await s.waitForCase(waiting, (c) => c.status === 'manual', 'manual');
    // Nobody names someone else as operator, and a service account's ops key is no person.
    const impersonating = await s.http('POST', '/v1/governor/mode', {
      key: KEYS.ops,
      body: { mode: 'normal', reason: 'auto', operator: 'system:governor' },
    });
    expect(impersonating.status).toBe(403);
    expect(impersonating.body.error.code).toBe('identity_mismatch');
    const refused = await s.http('POST', '/v1/governor/mode', {
      key: KEYS.serviceOps,
      body: { mode: 'normal', reason: 'auto' },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/person/);
    expect((await s.http('GET', '/v1/governor', { key: KEYS.auditor })).body.mode).toBe('shutdown');

    expect((await setMode('normal', 'incident resolved')).status).toBe(200);
    // A reviewer may be working on it: relaxing shows the suggestion again but decides nothing.
    const kept = await s.waitForCase(waiting, (c) => c.mode === 'normal', 'told of normal');
    expect(kept).toMatchObject({ status: 'awaiting_review', route: 'assisted', routeReason: 'kept_for_review' });
    expect(kept.suggestionVisible).toBe(true);
    const approved = await s.http('POST', `/v1/cases/${waiting}/review`, {
      key: KEYS.reviewer,
      body: { decision: 'approve' },
    });
    expect(approved.body.decision).toMatchObject({ outcome: 'approved' });
    // A new ticket in normal mode is decided by the agent again.
    const fresh = await open('auto');
    expect(await s.deps.client.workflow.getHandle(fresh).result()).toMatchObject({
      outcome: 'auto_decided',
      mode: 'normal',
    });
  });
});
