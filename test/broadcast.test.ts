// A mode change reaches every running case, however many: the broadcast signals them many at a
// time (bounded), page by page, and each case applies the change and records its new route in
// the workflow task that heard it. The time it takes for 100, 1,000 and 5,000 cases is measured
// by `npm run bench -- --only broadcast`, not here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockActivityEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { modeActivities, UNDECIDED_CASES_QUERY } from '../activities/mode';
import type { ModeState } from '../domain/case';
import { inject } from 'vitest';
import { eventually } from './support/eventually';
import { KEYS, startTestStack, type TestStack } from './support/stack';
import { ticket } from './support/tickets';

let s: TestStack;
const CASES = 150;

beforeAll(async () => {
  // Small pages, so the broadcast goes through several of them.
  s = await startTestStack(__filename, { RATE_LIMIT: '0', BROADCAST_PAGE_SIZE: '40' });
});
afterAll(() => s?.stop());

const count = async (where: Record<string, string>) =>
  Number((await s.deps.db('cases').where(where).count({ n: '*' }).first())?.n ?? 0);

describe('the mode broadcast', () => {
  it(`reaches all ${CASES} running cases, each re-routed and recorded`, async () => {
    const opened: string[] = [];
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (opened.length < CASES) {
          const res = await s.http('POST', '/v1/tickets', { body: ticket('assisted') });
          expect(res.status).toBe(202);
          opened.push(res.body.caseId);
        }
      }),
    );
    await eventually(
      () => count({ status: 'awaiting_review' }),
      (waiting) => waiting >= opened.length,
      'every case waiting for a reviewer',
    );

    const res = await s.http('POST', '/v1/governor/mode', {
      key: KEYS.ops,
      body: { mode: 'shutdown', reason: 'broadcast test' },
    });
    expect(res.status).toBe(200);
    await eventually(
      () => count({ mode: 'shutdown', route: 'manual', route_reason: 'mode_shutdown' }),
      (moved) => moved >= opened.length,
      'every case moved to the manual queue',
    );
    // Each case heard it exactly once: a single broadcast over several pages, no case left behind
    // or signalled twice. Hearing it cost each case no activity task and no timer restarted.
    const histories = await Promise.all(opened.map((id) => s.deps.client.workflow.getHandle(id).fetchHistory()));
    for (const history of histories) {
      const heard = history.events!.filter(
        (event) => event.workflowExecutionSignaledEventAttributes?.signalName === 'modeChanged',
      );
      expect(heard).toHaveLength(1);
      const after = history.events!.slice(history.events!.indexOf(heard[0]!));
      expect(after.filter((event) => event.activityTaskScheduledEventAttributes)).toHaveLength(0);
      expect(
        after.filter((event) => event.markerRecordedEventAttributes?.markerName === 'core_local_activity'),
      ).toHaveLength(1);
      // The review's timer started once (the signal may come just before or after) and was never cancelled.
      expect(history.events!.filter((event) => event.timerStartedEventAttributes)).toHaveLength(1);
      expect(history.events!.filter((event) => event.timerCanceledEventAttributes)).toHaveLength(0);
    }
    // And every history replays against today's code: the case heard the change, recorded it
    // locally and kept waiting, in the same order on replay.
    const replayed = Worker.runReplayHistories(
      { workflowBundle: { codePath: inject('workflowBundle') } },
      histories.map((history, i) => ({ workflowId: opened[i]!, history })),
    );
    for await (const result of replayed) expect(result.error).toBeUndefined();
  });

  it('changes in quick succession: each case ends on the last, and its history still replays', async () => {
    const cases = await s.deps.db('cases').where({ status: 'manual' }).pluck('case_id');
    expect(cases.length).toBeGreaterThan(0);
    // Answered once signalled, not once applied: the next change reaches cases still recording the last.
    for (const mode of ['human_routing', 'shutdown', 'human_routing']) {
      const res = await s.http('POST', '/v1/governor/mode', {
        key: KEYS.ops,
        body: { mode, reason: 'quick succession' },
      });
      expect(res.status).toBe(200);
    }
    await eventually(
      () => count({ mode: 'human_routing' }),
      (moved) => moved >= cases.length,
      'every case on the last mode',
    );
    const histories = await Promise.all(cases.map((id) => s.deps.client.workflow.getHandle(id).fetchHistory()));
    const replayed = Worker.runReplayHistories(
      { workflowBundle: { codePath: inject('workflowBundle') } },
      histories.map((history, i) => ({ workflowId: cases[i]!, history })),
    );
    for await (const result of replayed) expect(result.error).toBeUndefined();
  });

  // Last in this file: the change it sends bypasses the governor, with a seq the governor has not
  // reached, so the cases would drop the governor's next changes.
  it('a retried broadcast resumes after the last page it finished, not from the first case', async () => {
    const { client, db, modes } = s.deps;
    const page = await client.workflowService.listWorkflowExecutions({
      namespace: client.options.namespace,
      query: UNDECIDED_CASES_QUERY,
      pageSize: 40,
    });
    const firstPage = new Set(page.executions!.map((execution) => execution.execution!.workflowId!));
    expect(firstPage.size).toBe(40);
    const running = await db('cases').whereNot({ status: 'decided' }).pluck('case_id');
    const change: ModeState = { ...modes.mode, mode: 'shutdown', reason: 'resumed', operator: 'ops', seq: 10_000 };
    // What the first attempt heartbeated once it had signalled the first page.
    const retry = new MockActivityEnvironment({
      heartbeatDetails: {
        seq: change.seq,
        nextPage: Buffer.from(page.nextPageToken!).toString('base64'),
        signalled: 40,
      },
    });
    const activities = modeActivities(db, client, modes, 40);
    const previous: ModeState['mode'] = 'human_routing';
    const broadcast = () => activities.broadcastModeChange({ change, previous });
    const { signalled } = await retry.run<[], { signalled: number }, typeof broadcast>(broadcast);
    expect(signalled).toBe(running.length);
    const heardIt = async (caseId: string) => {
      const history = await client.workflow.getHandle(caseId).fetchHistory();
      return history.events!.some((event) => {
        const attributes = event.workflowExecutionSignaledEventAttributes;
        if (attributes?.signalName !== 'modeChanged') return false;
        const payload = attributes.input!.payloads![0]!.data!;
        return JSON.parse(Buffer.from(payload).toString()).seq === change.seq;
      });
    };
    for (const caseId of running) expect(await heardIt(caseId), caseId).toBe(!firstPage.has(caseId));
  });
});
