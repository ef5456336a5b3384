// The ticket and governor workflows' orchestration alone, on the time-skipping test server with the
// activities replaced by fakes: no PostgreSQL, no model. Routing, waiting, escalation, the final
// timeout, mode changes, refused reviews, and the governor reporting only the mode in force, each
// checked through the Temporal client as a caller would.
import { matchCriticalRules } from '../../domain/ticket/critical-rules';
import { randomBytes } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CaseState, DecisionRecord, Mode, ModeState } from '../../domain/case';
import { INVALID_REVIEW, NOT_AWAITING_REVIEW, UNSTORABLE_DATA } from '../../domain/failures';
import { findUnstorableText } from '../../domain/storable-text';
import { DEFAULT_BUDGET_POLICY } from '../../domain/budget-policy';
import { windowFigures } from '../../domain/error-budget';
import { DEFAULT_THRESHOLDS } from '../../domain/routing';
import type { Classification, TicketDecision } from '../../domain/ticket/types';
import { ensureSearchAttributes } from '../../infra/search-attributes';
import type { Activities, CaseSnapshot, InvoiceActivities, RefusedReviewRecord } from '../../workflows/activity-types';
import {
  configureBudgetUpdate,
  getBudgetQuery,
  getCaseQuery,
  getModeQuery,
  modeChangedSignal,
  reviewSignal,
  setModeUpdate,
  submitReviewUpdate,
} from '../../workflows/messages';
import type { governorWorkflow } from '../../workflows/governor';
import type { ticketWorkflow } from '../../workflows/ticket';

const HOUR = 3600_000;
const taskQueue = 'fast-ticket-workflow';
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('timeSkippingServer') } },
  });
  await ensureSearchAttributes(env.client);
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundle') },
    activities: dispatchingActivities,
  });
  running = worker.run();
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

function classification(confidence: number, extra: Partial<Classification> = {}): Classification {
  return {
    intent: 'exchange_rate',
    category: 'fx',
    confidence,
    runnerUp: { intent: 'exchange_charge', category: 'fx', confidence: 1 - confidence },
    explanation: [{ feature: 'rate', weight: 1.2 }],
    oodScore: 0.1,
    anomaly: false,
    modelVersion: 'fake@1',
    ...extra,
  };
}

function modeState(mode: Mode, seq: number): ModeState {
  return { mode, seq, since: new Date(0).toISOString(), reason: 'test', operator: 'ops' };
}

/** Refuses what PostgreSQL would refuse, as the real recording activities do. */
function refuseUnstorable(value: unknown): void {
  const found = findUnstorableText(value);
  if (found) {
    throw ApplicationFailure.create({
      type: UNSTORABLE_DATA,
      message: `${found.path} ${found.problem}`,
      nonRetryable: true,
    });
  }
}

const notForTickets = async (): Promise<never> => {
  throw new Error('not used by tickets');
};
/** The invoice activities: a ticket never asks for them. */
const unusedInvoiceActivities: InvoiceActivities = {
  extractInvoice: notForTickets,
  findVendor: notForTickets,
  matchPurchaseOrder: notForTickets,
  scoreFraud: notForTickets,
  settleInvoice: notForTickets,
  drawInvoiceAudit: notForTickets,
};

/** Fake activities that answer as told and keep what the workflow asked them to record. */
function fakeActivities(proposal: Classification, mode: ModeState = modeState('normal', 0)) {
  const recorded: CaseSnapshot[] = [];
  const decisions: DecisionRecord[] = [];
  const refusals: RefusedReviewRecord[] = [];
  const activities: Activities = {
    classifyTicket: async () => proposal,
    // The real rules: pure matching, nothing external to fake.
    matchCriticalRules: async (ticket) => matchCriticalRules(ticket),
    currentMode: async () => mode,
    recordCase: async (snapshot) => {
      refuseUnstorable(snapshot);
      recorded.push(structuredClone(snapshot));
    },
    recordDecision: async ({ snapshot, decision }) => {
      refuseUnstorable({ snapshot, decision });
      recorded.push(structuredClone(snapshot));
      decisions.push(decision);
    },
    recordRefusedReview: async (refused) => {
      refuseUnstorable(refused);
      refusals.push(refused);
    },
    broadcastModeChange: async () => ({ signalled: 0 }),
    evaluateBudget: async () => {
      throw new Error('not used by tickets');
    },
    ...unusedInvoiceActivities,
  };
  return { activities, recorded, decisions, refusals };
}

type Fakes = ReturnType<typeof fakeActivities>;

/** Each running workflow's fakes: one worker serves every test, its activities answer per case. */
const fakesByCase = new Map<string, Fakes>();

function fakesOfCurrentCase(): Activities {
  const workflowId = Context.current().info.workflowExecution?.workflowId ?? '';
  const fakes = fakesByCase.get(workflowId);
  if (!fakes) throw new Error(`no fakes for ${workflowId}`);
  return fakes.activities;
}

const dispatchingActivities: Activities = {
  classifyTicket: (input) => fakesOfCurrentCase().classifyTicket(input),
  matchCriticalRules: (input) => fakesOfCurrentCase().matchCriticalRules(input),
  currentMode: () => fakesOfCurrentCase().currentMode(),
  recordCase: (snapshot) => fakesOfCurrentCase().recordCase(snapshot),
  recordDecision: (input) => fakesOfCurrentCase().recordDecision(input),
  recordRefusedReview: (input) => fakesOfCurrentCase().recordRefusedReview(input),
  broadcastModeChange: (input) => fakesOfCurrentCase().broadcastModeChange(input),
  ...unusedInvoiceActivities,
  evaluateBudget: (input) => fakesOfCurrentCase().evaluateBudget(input),
};

/** Runs one ticket workflow with its own fakes; `scenario` drives it. */
async function withTicket(
  fakes: Fakes,
  scenario: (handle: Awaited<ReturnType<typeof startTicket>>) => Promise<void>,
  subject = 'Rate',
): Promise<void> {
  const externalId = randomBytes(4).toString('hex');
  fakesByCase.set(`ticket-${externalId}`, fakes);
  await scenario(await startTicket(externalId, subject));
}

function startTicket(externalId: string, subject: string) {
  return env.client.workflow.start<typeof ticketWorkflow>('ticketWorkflow', {
    workflowId: `ticket-${externalId}`,
    taskQueue,
    args: [
      {
        ticket: {
          externalId,
          subject,
          body: 'The exchange rate seems wrong',
          receivedAt: new Date(0).toISOString(),
        },
        thresholds: DEFAULT_THRESHOLDS,
        reviewTimeouts: { escalateAfterMs: 4 * HOUR, finalTimeoutMs: 24 * HOUR },
        classifier: 'remote',
      },
    ],
  });
}

/** Waits (in real time, briefly) until the workflow's state satisfies `ok`. */
async function until(
  handle: { query: (query: typeof getCaseQuery) => Promise<CaseState> },
  ok: (state: CaseState) => boolean,
): Promise<CaseState> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const state = await handle.query(getCaseQuery);
    if (ok(state)) return state;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`case never reached the expected state: ${JSON.stringify(await handle.query(getCaseQuery))}`);
}

async function refusalType(promise: Promise<unknown>): Promise<string | undefined> {
  const err = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  return cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined;
}

describe('routing by confidence', () => {
  it('a confident proposal is decided by the agent alone and recorded with its evidence', async () => {
    const fakes = fakeActivities(classification(0.97));
    await withTicket(fakes, async (handle) => {
      const decision: TicketDecision = await handle.result();
      expect(decision).toMatchObject({
        outcome: 'auto_decided',
        finalCategory: 'fx',
        route: 'auto',
        routeReason: 'confident',
        mode: 'normal',
        reviewer: null,
        thresholds: DEFAULT_THRESHOLDS,
      });
      expect(decision.suggestion.modelVersion).toBe('fake@1');
    });
    expect(fakes.decisions).toHaveLength(1);
    const versions = fakes.recorded.map((snapshot) => snapshot.state.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(fakes.recorded.at(-1)!.state.status).toBe('decided');
  });

  it.each([
    [0.7, false, 'awaiting_review', 'assisted', 'uncertain'],
    [0.4, false, 'manual', 'manual', 'low_confidence'],
    [0.97, true, 'manual', 'manual', 'anomaly'],
  ] as const)('confidence %s, anomaly %s: waits as %s (%s, %s)', async (confidence, anomaly, status, route, reason) => {
    const fakes = fakeActivities(classification(confidence, { anomaly }));
    await withTicket(fakes, async (handle) => {
      const waiting = await until(handle, (state) => state.route !== null);
      expect(waiting).toMatchObject({ status, route, routeReason: reason, decision: null });
      await handle.signal(reviewSignal, { decision: 'approve', reviewer: 'amy' });
      expect(await handle.result()).toMatchObject({ outcome: 'approved', reviewer: 'amy', route });
    });
  });
});

describe('a human review', () => {
  it('through the Update answers with the decided case; a correction keeps the proposal on record', async () => {
    const fakes = fakeActivities(classification(0.7));
    await withTicket(fakes, async (handle) => {
      await until(handle, (state) => state.status === 'awaiting_review');
      const decided = await handle.executeUpdate(submitReviewUpdate, {
        args: [{ decision: 'correct', category: 'cards', reviewer: 'bo', comment: 'card issue' }],
      });
      expect(decided).toMatchObject({ status: 'decided', decision: { outcome: 'corrected', finalCategory: 'cards' } });
      expect(decided.suggestion!.category).toBe('fx');
      // Answered only once the decision was recorded.
      expect(fakes.decisions).toHaveLength(1);
    });
  });

  it('refuses what the case cannot take: a bad Update gets an error, a bad signal is kept on the case', async () => {
    const fakes = fakeActivities(classification(0.7));
    await withTicket(fakes, async (handle) => {
      await until(handle, (state) => state.status === 'awaiting_review');
      const badCategory = handle.executeUpdate(submitReviewUpdate, {
        args: [{ decision: 'correct', category: 'nope', reviewer: 'bo' }],
      });
      expect(await refusalType(badCategory)).toBe(INVALID_REVIEW);
      await handle.signal(reviewSignal, { decision: 'correct', reviewer: 'web-ui' }); // no category
      const refused = await until(handle, (state) => state.refusedReviews.length === 1);
      expect(refused.status).toBe('awaiting_review');
      expect(refused.refusedReviews[0].reason).toMatch(/category/);
      // A signal's sender cannot be told: the refusal goes to review_attempts for the audit trail.
      await until(handle, () => fakes.refusals.length === 1);
      expect(fakes.refusals[0]).toMatchObject({
        via: 'signal',
        refusal: INVALID_REVIEW,
        review: { reviewer: 'web-ui' },
      });

      // Two reviewers at once: one decides, the other is refused (or finds the case closed).
      const answers = await Promise.allSettled([
        handle.executeUpdate(submitReviewUpdate, { args: [{ decision: 'reject', reviewer: 'bo' }] }),
        handle.executeUpdate(submitReviewUpdate, { args: [{ decision: 'approve', reviewer: 'cy' }] }),
      ]);
      expect(answers.filter((answer) => answer.status === 'fulfilled')).toHaveLength(1);
      const loser = answers.find((answer) => answer.status === 'rejected')!.reason;
      if (!(loser instanceof WorkflowNotFoundError))
        expect(await refusalType(Promise.reject(loser))).toBe(NOT_AWAITING_REVIEW);
      const decision = await handle.result();
      expect(decision.outcome).toBe(decision.reviewer === 'bo' ? 'rejected' : 'approved');
      expect(fakes.decisions).toHaveLength(1);
    });
  });
});

describe('a review nobody answers', () => {
  it('is escalated, then moved to the manual queue, and never decided by a timer', async () => {
    const fakes = fakeActivities(classification(0.7));
    await withTicket(fakes, async (handle) => {
      await until(handle, (state) => state.status === 'awaiting_review');
      await env.sleep(3 * HOUR);
      expect(await handle.query(getCaseQuery)).toMatchObject({ status: 'awaiting_review', escalated: false });
      await env.sleep(1 * HOUR);
      const escalated = await until(handle, (state) => state.escalated);
      expect(escalated).toMatchObject({ status: 'escalated', route: 'assisted' });
      await env.sleep(20 * HOUR);
      expect(await until(handle, (state) => state.route === 'manual')).toMatchObject({
        status: 'manual',
        route: 'manual',
        routeReason: 'review_timeout',
        decision: null,
      });
      await env.sleep(7 * 24 * HOUR);
      expect((await handle.describe()).status.name).toBe('RUNNING');
      expect(fakes.decisions).toHaveLength(0);

      await handle.signal(reviewSignal, { decision: 'correct', category: 'fx', reviewer: 'night-shift' });
      expect(await handle.result()).toMatchObject({
        outcome: 'corrected',
        escalated: true,
        route: 'manual',
        routeReason: 'review_timeout',
      });
    });
    const statuses = fakes.recorded.map((snapshot) => snapshot.state.status);
    expect(statuses).toEqual(expect.arrayContaining(['awaiting_review', 'escalated', 'manual', 'decided']));
  });
});

describe('scoped modes and critical rules', () => {
  it("a mode scoped to the case's category holds it; a scope on another category does not", async () => {
    const heldFx = { ...modeState('normal', 5), scopes: { 'category:fx': 'human_routing' as Mode } };
    const fakes = fakeActivities(classification(0.97), heldFx);
    await withTicket(fakes, async (handle) => {
      const held = await until(handle, (state) => state.route !== null);
      expect(held).toMatchObject({ route: 'assisted', routeReason: 'mode_human_routing', mode: 'human_routing' });
      // The scope is lifted: the case stays with the people it was sent to.
      await handle.signal(modeChangedSignal, modeState('normal', 6));
      const kept = await until(handle, (state) => state.mode === 'normal');
      expect(kept).toMatchObject({ route: 'assisted', routeReason: 'kept_for_review' });
    });

    const heldCards = { ...modeState('normal', 5), scopes: { 'category:cards': 'shutdown' as Mode } };
    await withTicket(fakeActivities(classification(0.97), heldCards), async (handle) => {
      expect(await handle.result()).toMatchObject({ outcome: 'auto_decided', finalCategory: 'fx', mode: 'normal' });
    });
  });

  it('a critical rule that disagrees with the model sends the case to a person with both proposals', async () => {
    const fakes = fakeActivities(classification(0.97));
    await withTicket(
      fakes,
      async (handle) => {
        const state = await until(handle, (current) => current.route !== null);
        expect(state).toMatchObject({
          route: 'assisted',
          routeReason: 'rule_disagreement',
          suggestion: { category: 'fx' },
          critical: { rule: 'lost_or_stolen_card', category: 'cards', rulesVersion: expect.any(String) },
        });
      },
      'My card was stolen',
    );
  });

  it('in safe mode the rule routes alone and the decision records it', async () => {
    const fakes = fakeActivities(classification(0.5, { category: 'cards' }), modeState('safe', 7));
    await withTicket(
      fakes,
      async (handle) => {
        const decision = await handle.result();
        expect(decision).toMatchObject({
          outcome: 'auto_decided',
          routeReason: 'critical_rule',
          finalCategory: 'cards',
          mode: 'safe',
          critical: { rule: 'lost_or_stolen_card' },
        });
      },
      'Lost card',
    );
    // Without a rule, safe mode sends a confident proposal to a person.
    await withTicket(fakeActivities(classification(0.97), modeState('safe', 7)), async (handle) => {
      const state = await until(handle, (current) => current.route !== null);
      expect(state).toMatchObject({ route: 'assisted', routeReason: 'mode_safe' });
    });
  });
});

describe('mode changes reach a running case', () => {
  it('the mode at routing time narrows the route; a later change re-routes; stale broadcasts are dropped', async () => {
    const fakes = fakeActivities(classification(0.97), modeState('human_routing', 3));
    await withTicket(fakes, async (handle) => {
      const waiting = await until(handle, (state) => state.route !== null);
      expect(waiting).toMatchObject({
        status: 'awaiting_review',
        route: 'assisted',
        routeReason: 'mode_human_routing',
      });

      await handle.signal(modeChangedSignal, modeState('shutdown', 4));
      const parked = await until(handle, (state) => state.mode === 'shutdown');
      expect(parked).toMatchObject({ status: 'manual', routeReason: 'mode_shutdown', suggestionVisible: false });
      const approve = handle.executeUpdate(submitReviewUpdate, { args: [{ decision: 'approve', reviewer: 'x' }] });
      expect(await refusalType(approve)).toBe(INVALID_REVIEW);

      // An older broadcast arriving late changes nothing.
      await handle.signal(modeChangedSignal, modeState('normal', 2));
      await handle.signal(modeChangedSignal, modeState('shutdown', 4));
      expect((await handle.query(getCaseQuery)).mode).toBe('shutdown');

      // Relaxing never takes the case from the people it was sent to; its suggestion shows again.
      await handle.signal(modeChangedSignal, modeState('normal', 5));
      const kept = await until(handle, (state) => state.mode === 'normal');
      expect(kept).toMatchObject({
        status: 'awaiting_review',
        route: 'assisted',
        routeReason: 'kept_for_review',
        suggestionVisible: true,
      });
      await handle.executeUpdate(submitReviewUpdate, { args: [{ decision: 'approve', reviewer: 'x' }] });
      expect(await handle.result()).toMatchObject({ outcome: 'approved', mode: 'normal', route: 'assisted' });
    });
  });
});

describe('a case PostgreSQL cannot store', () => {
  it('is parked in the manual queue with the reason, recorded as a storable copy, and still decided by a person', async () => {
    const fakes = fakeActivities(classification(0.97));
    await withTicket(
      fakes,
      async (handle) => {
        // Since v10 the first write comes once the case is routed: the query may see the route a
        // moment before the refused write parks the case, so wait for the problem to be on it.
        const parked = await until(handle, (state) => state.problem !== undefined && state.route !== null);
        expect(parked).toMatchObject({ status: 'manual', route: 'manual', routeReason: 'unrecordable_data' });
        expect(parked.problem).toMatch(/NUL/);
        // A mode change does not take it back from the humans.
        await handle.signal(modeChangedSignal, modeState('normal', 1));
        await handle.signal(reviewSignal, { decision: 'approve', reviewer: 'amy' });
        expect(await handle.result()).toMatchObject({
          outcome: 'approved',
          route: 'manual',
          routeReason: 'unrecordable_data',
        });
      },
      'Card\u0000 lost',
    );
    expect(fakes.recorded.length).toBeGreaterThan(0);
    for (const snapshot of fakes.recorded) {
      expect(snapshot.input.subject).toBe('Card\ufffd lost');
      expect(snapshot.state.problem).toMatch(/NUL/);
    }
    expect(fakes.recorded.at(-1)!.state.status).toBe('decided');
    expect(fakes.decisions).toHaveLength(1);
  });
});

/** Waits (in real time, briefly) until `read` returns something. */
async function waitFor<T>(read: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (let attempt = 0; attempt < 250; attempt++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('never happened');
}

describe('the mode the governor reports', () => {
  it('is the last one broadcast, never one still being broadcast', async () => {
    const broadcasts: { change: ModeState; release: () => void }[] = [];
    const fakes = fakeActivities(classification(0.5));
    // Each broadcast waits until the test releases it: the window in which the change is not yet in force.
    fakes.activities.broadcastModeChange = ({ change }) =>
      new Promise((resolve) => broadcasts.push({ change, release: () => resolve({ signalled: 0 }) }));
    fakesByCase.set('fast-governor', fakes);
    const handle = await env.client.workflow.start<typeof governorWorkflow>('governorWorkflow', {
      workflowId: 'fast-governor',
      taskQueue,
      args: [{}],
    });
    expect((await handle.query(getModeQuery)).mode).toBe('normal');

    const answered = handle.executeUpdate(setModeUpdate, {
      args: [{ mode: 'human_routing', reason: 'error rate 6%/h', operator: 'ops' }],
    });
    const first = await waitFor(() => broadcasts[0]);
    expect(first.change).toMatchObject({ mode: 'human_routing', seq: 1 });
    // Requested, accepted, being broadcast: not yet in force.
    expect((await handle.query(getModeQuery)).mode).toBe('normal');

    first.release();
    expect(await answered).toMatchObject({ mode: 'human_routing', seq: 1 });
    expect(await handle.query(getModeQuery)).toMatchObject({ mode: 'human_routing', seq: 1 });
    await handle.terminate('test done');
  });
});

describe('the governor steering by the error budget', () => {
  it('takes a budget while running, and tightens on the figures with their evidence', async () => {
    const fakes = fakeActivities(classification(0.5));
    const bad = windowFigures('1h', 30, 30, 0.02);
    fakes.activities.evaluateBudget = async () => ({ fast: windowFigures('5m', 30, 30, 0.02), slow: bad });
    fakesByCase.set('fast-governor-budget', fakes);
    const handle = await env.client.workflow.start<typeof governorWorkflow>('governorWorkflow', {
      workflowId: 'fast-governor-budget',
      taskQueue,
      args: [{}],
    });
    expect(await handle.query(getBudgetQuery)).toBeNull(); // by hand only, until told otherwise
    await handle.executeUpdate(configureBudgetUpdate, {
      args: [{ policy: DEFAULT_BUDGET_POLICY, tickMs: 1000, fastWindowMs: 300_000, slowWindowMs: 3_600_000 }],
    });
    await env.sleep(2000);
    const mode = await waitFor(async () => {
      const state = await handle.query(getModeQuery);
      return state.mode === 'shutdown' ? state : undefined;
    });
    expect(mode).toMatchObject({ operator: 'system:governor', evidence: { slow: { evaluated: 30, errors: 30 } } });
    await handle.terminate('test done');
  });
});

describe('the governor under sustained outcomes', () => {
  it('continues as new with its state, reads the counts afresh each run, and holds the category the errors come from', async () => {
    const fakes = fakeActivities(classification(0.5));
    // Outcomes keep arriving: each evaluation sees 40 more findings; from the 8th on, the new
    // ones in payments are all wrong. The counts live in PostgreSQL, not in the run.
    let calls = 0;
    fakes.activities.evaluateBudget = async () => {
      calls += 1;
      const wrongPayments = Math.max(0, calls - 7) * 10;
      const cards = { evaluated: calls * 30, errors: 0 };
      const payments = { evaluated: calls * 10, errors: wrongPayments };
      const figures = (evaluated: number, errors: number) => ({
        fast: windowFigures('5m', evaluated, errors, 0.02),
        slow: windowFigures('1h', evaluated, errors, 0.02),
      });
      return {
        ...figures(cards.evaluated + payments.evaluated, payments.errors),
        categories: { cards: figures(cards.evaluated, 0), payments: figures(payments.evaluated, payments.errors) },
      };
    };
    fakesByCase.set('fast-governor-sustained', fakes);
    const handle = await env.client.workflow.start<typeof governorWorkflow>('governorWorkflow', {
      workflowId: 'fast-governor-sustained',
      taskQueue,
      args: [
        {
          ticksPerRun: 3,
          budget: { policy: DEFAULT_BUDGET_POLICY, tickMs: 1000, fastWindowMs: 300_000, slowWindowMs: 3_600_000 },
        },
      ],
    });
    const firstRun = (await handle.describe()).runId;
    await env.sleep(12_000);
    const held = await waitFor(async () => {
      const state = await handle.query(getModeQuery);
      return state.scopes?.['category:payments'] ? state : undefined;
    });
    expect(held.mode).toBe('normal'); // the errors are all in payments: the rest runs as it is
    expect(held.scope).toBe('category:payments');
    expect(held.evidence).toMatchObject({ scope: 'category:payments' });
    const evidence = held.evidence as { slow: { evaluated: number; errors: number } };
    expect(evidence.slow.errors).toBeGreaterThan(0);
    expect(evidence.slow.evaluated).toBeGreaterThan(10 * 7); // counted across runs, not from zero
    // It continued as new (3 ticks a run) and each run's history stays short.
    const current = await handle.describe();
    expect(current.runId).not.toBe(firstRun);
    expect(current.historyLength).toBeLessThan(60);
    await env.sleep(4000);
    const later = await handle.query(getModeQuery);
    expect(later.scopes?.['category:payments']).toBeDefined(); // carried into the next runs
    await handle.terminate('test done');
  });
});
