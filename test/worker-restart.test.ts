// A worker process killed in the middle of a ticket loses nothing: a new process picks the
// case up from its history and the decision is recorded exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { KEYS, startTestStack, type TestStack } from './support/stack';
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

async function startWorkerProcess(): Promise<ChildProcess> {
  const root = join(__dirname, '..');
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'entry-points', 'worker.ts')], {
    cwd: root,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: s.config.temporal.namespace,
      TASK_QUEUE: s.config.taskQueue,
      DATABASE_URL: s.config.databaseUrl,
      WORKFLOW_BUNDLE: inject('workflowBundle'),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let out = '';
  await new Promise<void>((ready, fail) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('polling')) ready();
    });
    child.once('exit', (code) => fail(new Error(`worker exited with ${code}: ${out}`)));
  });
  return child;
}

describe('a worker process dies mid-case', () => {
  it('the next worker resumes every case from history and records each decision once', async () => {
    const first = await startWorkerProcess();
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

    await startWorkerProcess();
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
