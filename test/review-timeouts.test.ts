// Escalation and the final timeout, on the time-skipping test server: hours of waiting pass in
// milliseconds, and a timeout never decides on a human's behalf.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../domain/routing';
import { getCaseQuery } from '../workflows/messages';
import type { ticketWorkflow } from '../workflows/ticket';
import { eventually } from './support/eventually';
import { startTimeSkipping, type TimeSkippingStack } from './support/time-skipping';
import { TEXTS } from './support/tickets';

const HOUR = 3600_000;
let stack: TimeSkippingStack;
let env: TestWorkflowEnvironment;
let db: Knex;
let taskQueue: string;

beforeAll(async () => {
  stack = await startTimeSkipping('review_timeouts');
  ({ env, db, taskQueue } = stack);
});
afterAll(() => stack?.stop());

function start(id: string) {
  return env.client.workflow.start<typeof ticketWorkflow>('ticketWorkflow', {
    workflowId: id,
    taskQueue,
    args: [
      {
        ticket: { externalId: id, ...TEXTS.assisted, receivedAt: new Date().toISOString() },
        thresholds: DEFAULT_THRESHOLDS,
        reviewTimeouts: { escalateAfterMs: 4 * HOUR, finalTimeoutMs: 24 * HOUR },
        classifier: 'local',
      },
    ],
  });
}

describe('a review nobody answers', () => {
  it('is escalated, then handed to the manual queue, and still waits for a person', async () => {
    const handle = await start('ticket-timeout-1');
    await env.sleep('1 minute');
    expect(await handle.query(getCaseQuery)).toMatchObject({ status: 'awaiting_review', escalated: false });

    await env.sleep(4 * HOUR);
    expect(await handle.query(getCaseQuery)).toMatchObject({ status: 'escalated', escalated: true, route: 'assisted' });
    const row = () => db('cases').where({ case_id: 'ticket-timeout-1' }).first();
    await eventually(row, (r) => r?.status === 'escalated' && r.escalated === true, 'recorded the escalation');

    await env.sleep(20 * HOUR);
    const st = await handle.query(getCaseQuery);
    expect(st).toMatchObject({
      status: 'manual',
      route: 'manual',
      routeReason: 'review_timeout',
      escalated: true,
      decision: null,
    });
    await eventually(
      row,
      (r) => r?.status === 'manual' && r.route_reason === 'review_timeout',
      'recorded the move to manual',
    );
    expect(await db('decisions').where({ case_id: 'ticket-timeout-1' })).toHaveLength(0);

    // A week later it is still waiting: no timer decides for the human.
    await env.sleep(7 * 24 * HOUR);
    expect((await handle.describe()).status.name).toBe('RUNNING');

    await handle.signal('review', { decision: 'correct', category: 'fx', reviewer: 'night-shift' });
    const decision = await handle.result();
    expect(decision).toMatchObject({
      outcome: 'corrected',
      finalCategory: 'fx',
      reviewer: 'night-shift',
      escalated: true,
      route: 'manual',
    });
    expect(await db('decisions').where({ case_id: 'ticket-timeout-1' }).first()).toMatchObject({
      escalated: true,
      route_reason: 'review_timeout',
    });
  });

  it('a review before the escalation timeout decides without escalating', async () => {
    const handle = await start('ticket-timeout-2');
    await env.sleep(2 * HOUR);
    await handle.signal('review', { decision: 'approve', reviewer: 'day-shift' });
    const decision = await handle.result();
    expect(decision).toMatchObject({ outcome: 'approved', escalated: false });
  });
});
