// A worker process killed in the middle of a ticket loses nothing: a new process picks the
// case up from its history and the decision is recorded exactly once.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startTestStack, type TestStack } from './support/stack';
import { startWorkerProcess } from './support/worker-process';
import { ticket } from './support/tickets';

let s: TestStack;
const children: ChildProcess[] = [];

beforeAll(async () => {
  s = await startTestStack(__filename);
  // From here on only the separate worker processes below serve the task queue.
  await s.worker.stop();
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await s?.stop();
});

describe('a worker process dies mid-case', () => {
  it('the next worker resumes every case from history and records each decision once', async () => {
    const first = await startWorkerProcess(s, children);
    const waiting = (await s.http('POST', '/v1/tickets', { body: ticket('assisted') })).body.caseId;
    await s.waitForCase(waiting, (c) => c.status === 'awaiting_review', 'awaiting review');

    first.kill('SIGKILL');
    await once(first, 'exit');

    // While no worker runs: a reviewer acts from the Web UI (a signal) and a new ticket arrives.
    await s.deps.client.workflow
      .getHandle(waiting)
      .signal('review', { decision: 'correct', category: 'cards', reviewer: 'during-outage' });
    const arrived = (await s.http('POST', '/v1/tickets', { body: ticket('auto') })).body.caseId;
    expect((await s.http('GET', `/v1/cases/${arrived}`, { key: KEYS.auditor })).body.status).toBe('processing');

    await startWorkerProcess(s, children);
    const [a, b] = await Promise.all([
      s.deps.client.workflow.getHandle(waiting).result(),
      s.deps.client.workflow.getHandle(arrived).result(),
    ]);
    expect(a).toMatchObject({ outcome: 'corrected', finalCategory: 'cards', reviewer: 'during-outage' });
    expect(b).toMatchObject({ outcome: 'auto_decided' });
    for (const id of [waiting, arrived]) {
      expect(await s.deps.db('decisions').where({ case_id: id })).toHaveLength(1);
      expect((await s.http('GET', `/v1/cases/${id}`, { key: KEYS.auditor })).body.status).toBe('decided');
    }
  });
});
