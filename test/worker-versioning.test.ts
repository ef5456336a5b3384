// A rollout under Worker Versioning on the real dev server, as an operator runs it: build A serves
// cases that wait for people; build B, whose ticket workflow issues a command A's never did, comes
// up and is made current with the CLI. A's cases finish on A (B could not replay them); new cases
// run on B; the visibility query the README gives lists what still drains on A.
import { execFileSync } from 'node:child_process';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { WorkflowExecutionDescription } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../activities';
import { temporalCli } from '../infra/dev-server';
import { createAgentWorker } from '../workers/agent-worker';
import { startTestStack, KEYS, type TestStack } from './support/stack';
import { ticket } from './support/tickets';
import { eventually } from './support/eventually';

const DEPLOYMENT = 'rollout-test';
let s: TestStack;
let workerB: Worker | null = null;
let runningB: Promise<void> | null = null;
let connectionB: NativeConnection | null = null;

beforeAll(async () => {
  s = await startTestStack(__filename, { TEMPORAL_DEPLOYMENT_NAME: DEPLOYMENT, BUILD_ID: 'build-a' });
});
afterAll(async () => {
  workerB?.shutdown();
  await runningB;
  await connectionB?.close();
  await s?.stop();
});

function cli(...args: string[]): string {
  return execFileSync(
    temporalCli({ install: true }),
    [...args, '--address', inject('temporalAddress'), '--namespace', s.config.temporal.namespace],
    { encoding: 'utf8' },
  );
}

async function historyOf(caseId: string) {
  const { events } = await s.deps.client.workflow.getHandle(caseId).fetchHistory();
  return events ?? [];
}

/** The builds that completed the case's workflow tasks, and how many of build B's timers it started. */
async function buildsOf(caseId: string): Promise<{ builds: string[]; timers: number }> {
  const events = await historyOf(caseId);
  const builds = new Set<string>();
  for (const event of events) {
    const build = event.workflowTaskCompletedEventAttributes?.deploymentVersion?.buildId;
    if (build) builds.add(build);
  }
  // B's timer lasts a millisecond; a waiting case's review timer lasts hours.
  const short = events.filter((event) => {
    const timeout = event.timerStartedEventAttributes?.startToFireTimeout;
    return timeout && Number(timeout.seconds ?? 0) === 0;
  });
  return { builds: [...builds], timers: short.length };
}

async function countOn(build: string): Promise<number> {
  const query = `TemporalWorkerDeploymentVersion = '${DEPLOYMENT}:${build}' AND ExecutionStatus = 'Running' AND WorkflowType = 'ticketWorkflow'`;
  return (await s.deps.client.workflow.count(query)).count;
}

async function fileTicket(kind: 'auto' | 'assisted', index: number): Promise<string> {
  const res = await s.http('POST', '/v1/tickets', {
    body: ticket(kind, { externalId: `${kind}-${index}-${Date.now()}` }),
  });
  expect(res.status).toBe(202);
  return res.body.caseId as string;
}

describe('a build-B rollout over running build-A cases', () => {
  it('finishes the cases started on A on A, runs new cases on B, and lists what drains', async () => {
    expect(s.worker.deployment).toEqual({ deploymentName: DEPLOYMENT, buildId: 'build-a' });
    expect(cli('worker', 'deployment', 'describe', '--name', DEPLOYMENT)).toMatch(/build-a/);

    const onA = [];
    for (let n = 0; n < 3; n++) onA.push(await fileTicket('assisted', n));
    for (const caseId of onA) await s.waitForCase(caseId, (state) => state.status === 'awaiting_review', 'waiting');
    await eventually(
      () => countOn('build-a'),
      (count) => count === 3,
      'three cases pinned to build-a',
    );

    // Build B comes up beside A, on the same task queue, with a changed ticket workflow.
    connectionB = await NativeConnection.connect({ address: inject('temporalAddress') });
    workerB = await createAgentWorker({
      connection: connectionB,
      namespace: s.config.temporal.namespace,
      taskQueue: s.config.taskQueue,
      activities: createActivities({
        db: s.deps.db,
        client: s.deps.client,
        classifier: s.deps.classifier,
        modes: s.deps.modes,
        auditRate: 0,
        broadcastPageSize: s.config.broadcastPageSize,
      }),
      deployment: { deploymentName: DEPLOYMENT, buildId: 'build-b' },
      tuning: s.config.workerTuning.cases,
      workflowBundlePath: inject('changedWorkflowBundle'),
    });
    runningB = workerB.run();
    // The operator's step: once B's pollers are registered, B becomes current.
    await eventually(
      async () => cli('worker', 'deployment', 'describe', '--name', DEPLOYMENT),
      (out) => out.includes('build-b'),
      'build-b registered',
    );
    cli(
      'worker',
      'deployment',
      'set-current-version',
      '--deployment-name',
      DEPLOYMENT,
      '--build-id',
      'build-b',
      '--yes',
    );

    // New cases run on B: its timer is their first command.
    const onB = [];
    for (let n = 0; n < 3; n++) onB.push(await fileTicket('auto', n));
    for (const caseId of onB) {
      await s.waitForCase(caseId, (state) => state.status === 'decided', 'decided');
      expect(await buildsOf(caseId)).toEqual({ builds: ['build-b'], timers: 1 });
    }

    // The cases A started finish on A, decided by a person, with A's command sequence.
    expect(await countOn('build-a')).toBe(3);
    for (const caseId of onA) {
      const res = await s.http('POST', `/v1/cases/${caseId}/review`, {
        key: KEYS.reviewer,
        body: { decision: 'approve' },
      });
      expect(res.status).toBe(200);
      const description: WorkflowExecutionDescription = await s.deps.client.workflow.getHandle(caseId).describe();
      await s.deps.client.workflow.getHandle(caseId).result();
      expect(description.raw.workflowExecutionInfo?.versioningInfo?.behavior).toBeTruthy();
      expect(await buildsOf(caseId)).toEqual({ builds: ['build-a'], timers: 0 });
      const row = await s.deps.db('decisions').where({ case_id: caseId });
      expect(row).toHaveLength(1);
      expect(row[0].outcome).toBe('approved');
    }
    await eventually(
      () => countOn('build-a'),
      (count) => count === 0,
      'build-a drained',
    );
  });
});
