// The governor's orchestration with a fake broadcast: a requested mode is reported as the mode in
// force only once its broadcast has finished, so ops never see a mode the workers do not apply.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ModeState } from '../../domain/case';
import type { Activities } from '../../workflows/activity-types';
import type { governorWorkflow } from '../../workflows/governor';
import { getModeQuery, setModeUpdate } from '../../workflows/messages';

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const broadcasts: { change: ModeState; release: () => void }[] = [];

const unused = async () => {
  throw new Error('not used by the governor');
};
const activities: Activities = {
  classifyTicket: unused,
  currentMode: unused,
  recordCase: unused,
  recordDecision: unused,
  recordRefusedReview: unused,
  // Each broadcast waits until the test releases it: the window in which the change is not yet in force.
  broadcastModeChange: ({ change }) =>
    new Promise((resolve) => broadcasts.push({ change, release: () => resolve({ signalled: 0 }) })),
};

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('timeSkippingServer') } },
  });
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'fast-governor',
    workflowBundle: { codePath: inject('workflowBundle') },
    activities,
  });
  running = worker.run();
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

async function until<T>(read: () => T | undefined): Promise<T> {
  for (let attempt = 0; attempt < 250; attempt++) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('never happened');
}

describe('the mode the governor reports', () => {
  it('is the last one broadcast, never one still being broadcast', async () => {
    const handle = await env.client.workflow.start<typeof governorWorkflow>('governorWorkflow', {
      workflowId: 'fast-governor',
      taskQueue: 'fast-governor',
      args: [{}],
    });
    expect((await handle.query(getModeQuery)).mode).toBe('normal');

    const answered = handle.executeUpdate(setModeUpdate, {
      args: [{ mode: 'human_routing', reason: 'error rate 6%/h', operator: 'ops' }],
    });
    const first = await until(() => broadcasts[0]);
    expect(first.change).toMatchObject({ mode: 'human_routing', seq: 1 });
    // Requested, accepted, being broadcast: not yet in force.
    expect((await handle.query(getModeQuery)).mode).toBe('normal');

    first.release();
    expect(await answered).toMatchObject({ mode: 'human_routing', seq: 1 });
    expect(await handle.query(getModeQuery)).toMatchObject({ mode: 'human_routing', seq: 1 });
    await handle.terminate('test done');
  });
});
