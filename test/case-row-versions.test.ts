// The case row follows the workflow's versions: an older write never overwrites a newer one; the
// same version does while the case is undecided (a local activity's write repeated by a retried
// workflow task that heard more meanwhile: the later one is what the history keeps); a decided
// row is never rewritten by a repeated or late write of its own version.
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropDatabase, openDatabase } from '../db/connect';
import { recordDecision, upsertCase } from '../db/cases';
import { newCaseState, type DecisionRecord, type Mode } from '../domain/case';
import type { CaseSnapshot } from '../workflows/activity-types';
import { freshDatabaseUrl } from './support/stack';

const url = freshDatabaseUrl('case_row_versions');
let db: Knex;

beforeAll(async () => {
  db = await openDatabase(url, 2);
});
afterAll(async () => {
  await db?.destroy();
  await dropDatabase(url);
});

const suggestion = {
  category: 'fx',
  confidence: 0.7,
  modelVersion: 'test@1',
  explanation: 'test',
} as never;

function snapshot(caseId: string, version: number, mode: Mode): CaseSnapshot {
  const state = newCaseState(caseId, 'ticket');
  return {
    state: {
      ...state,
      version,
      mode,
      route: 'assisted',
      routeReason: 'uncertain',
      status: 'awaiting_review',
      suggestion,
    },
    externalId: caseId,
    input: { subject: 's', body: 'b' },
    receivedAt: '2026-11-25T00:00:00.000Z',
    thresholds: { auto: 0.85, assisted: 0.6, reducedAuto: 0.95 },
    workflowId: caseId,
    runId: 'run',
    at: `2026-11-25T00:00:0${version}.000Z`,
  };
}

const row = (caseId: string) => db('cases').where({ case_id: caseId }).first();

describe('the case row and its versions', () => {
  it('keeps the newest version; the same version, written again, wins while undecided', async () => {
    const caseId = 'ticket-versions-1';
    await upsertCase(db, snapshot(caseId, 2, 'normal'));
    await upsertCase(db, snapshot(caseId, 1, 'shutdown'));
    expect(await row(caseId)).toMatchObject({ version: 2, mode: 'normal' });
    await upsertCase(db, snapshot(caseId, 2, 'human_routing'));
    expect(await row(caseId)).toMatchObject({ version: 2, mode: 'human_routing' });
  });

  it('a decided row keeps its decision against a late write of the same version', async () => {
    const caseId = 'ticket-versions-2';
    const decided = snapshot(caseId, 3, 'normal');
    decided.state = { ...decided.state, status: 'decided' };
    const decision = {
      caseId,
      kind: 'ticket',
      outcome: 'approved',
      finalCategory: 'fx',
      route: 'assisted',
      routeReason: 'uncertain',
      mode: 'normal',
      thresholds: decided.thresholds,
      suggestion,
      reviewer: 'alice',
      comment: null,
      via: 'update',
      escalated: false,
      decidedAt: '2026-11-25T00:01:00.000Z',
    } as DecisionRecord;
    await recordDecision(db, decided, decision);
    await upsertCase(db, snapshot(caseId, 3, 'shutdown'));
    expect(await row(caseId)).toMatchObject({ version: 3, status: 'decided', outcome: 'approved', mode: 'normal' });
    // A repeated decision write changes nothing and adds no second decision.
    await recordDecision(db, decided, { ...decision, reviewer: 'bob' });
    expect(await db('decisions').where({ case_id: caseId })).toMatchObject([{ reviewer: 'alice' }]);
  });
});
