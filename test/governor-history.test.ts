// The governor lives forever: it continues as new to keep its history bounded, carrying the mode
// and the change sequence across runs, and resumes from PostgreSQL if its workflow is lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureGovernor } from '../infra/governor';
import { GOVERNOR_WORKFLOW_ID, getModeQuery } from '../workflows/messages';
import { HOLDER, KEYS, startTestStack, type TestStack } from './support/stack';

let s: TestStack;

beforeAll(async () => {
  s = await startTestStack(__filename, {}, { governorChangesPerRun: 2 });
});
afterAll(() => s?.stop());

const setMode = (mode: string, reason: string) =>
  s.http('POST', '/v1/governor/mode', { key: KEYS.ops, body: { mode, reason } });

describe('the governor over many changes', () => {
  it('continues as new after its quota of changes, with mode and sequence intact', async () => {
    const handle = s.deps.client.workflow.getHandle(GOVERNOR_WORKFLOW_ID);
    const firstRun = (await handle.describe()).runId;
    const modes = ['reduced', 'human_routing', 'reduced', 'normal', 'reduced'];
    for (const [i, mode] of modes.entries()) expect((await setMode(mode, `step ${i + 1}`)).status).toBe(200);

    const now = await handle.describe();
    expect(now.runId).not.toBe(firstRun);
    expect(now.status.name).toBe('RUNNING');
    const runs = [];
    for await (const wf of s.deps.client.workflow.list({ query: `WorkflowId = '${GOVERNOR_WORKFLOW_ID}'` }))
      runs.push(wf.status.name);
    expect(runs.filter((r) => r === 'CONTINUED_AS_NEW').length).toBeGreaterThanOrEqual(2);

    const state = await handle.query(getModeQuery);
    expect(state).toMatchObject({ mode: 'reduced', reason: 'step 5', seq: 5 });
    const history = await s.http('GET', '/v1/governor/changes?limit=2', { key: KEYS.auditor });
    expect(history.body.items).toMatchObject([
      { seq: 5, mode: 'reduced', previousMode: 'normal', reason: 'step 5', operator: HOLDER.ops },
      { seq: 4, mode: 'normal', previousMode: 'reduced' },
    ]);
    const rows = await s.deps.db('mode_changes').orderBy('seq');
    expect(rows.map((r) => [Number(r.seq), r.mode, r.previous_mode])).toEqual([
      [1, 'reduced', 'normal'],
      [2, 'human_routing', 'reduced'],
      [3, 'reduced', 'human_routing'],
      [4, 'normal', 'reduced'],
      [5, 'reduced', 'normal'],
    ]);
  });

  it('a lost governor is restarted in the last recorded mode, not reset to normal', async () => {
    const handle = s.deps.client.workflow.getHandle(GOVERNOR_WORKFLOW_ID);
    await handle.terminate('simulating a lost namespace');
    const resumed = await ensureGovernor(s.deps.client, s.deps.db, s.config.taskQueue);
    expect(resumed).toMatchObject({ mode: 'reduced', seq: 5 });
    expect((await setMode('normal', 'after restart')).body).toMatchObject({ mode: 'normal', seq: 6 });
  });
});
