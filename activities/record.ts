// Writes cases and decisions to PostgreSQL. Both writes are idempotent (versioned upsert,
// one decision per case), so a retried activity or a replayed workflow never writes twice.
// A write that PostgreSQL refuses for its data fails for good: retrying the same data cannot
// succeed, and the workflow parks the case instead of retrying forever.
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from 'knex';
import { raiseAlert } from '../db/alerts';
import { recordDecision, recordRefusedReview, upsertCase } from '../db/cases';
import { UNSTORABLE_DATA } from '../domain/failures';
import { drawnForAudit } from '../domain/outcomes';
import type { CaseActivities } from '../workflows/activity-types';

/** SQLSTATE class 22, data exception: bad encoding, a value too long, a number out of range. */
function isDataError(err: unknown): err is Error & { code: string } {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('22');
}

async function refusingBadData(write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (err) {
    if (!isDataError(err)) throw err; // outages and conflicts: Temporal retries
    throw ApplicationFailure.create({
      type: UNSTORABLE_DATA,
      message: `PostgreSQL refused the data (SQLSTATE ${err.code}): ${err.message}`,
      nonRetryable: true,
    });
  }
}

/** The first 32 bits of the case id's SHA-256: the same draw for every retry of the same case. */
function caseHash(caseId: string): number {
  return createHash('sha256').update(caseId).digest().readUInt32BE(0);
}

export function recordActivities(
  db: Knex,
  auditRate = 0,
): Pick<CaseActivities, 'recordCase' | 'recordDecision' | 'recordRefusedReview'> {
  return {
    recordCase: (snapshot) =>
      refusingBadData(async () => {
        const { state } = snapshot;
        if (!state.problem) return upsertCase(db, snapshot);
        // A parked case and its alert in one transaction: whoever sees the one sees the other.
        await db.transaction(async (trx) => {
          await upsertCase(trx, snapshot);
          await raiseAlert(trx, {
            key: `parked:${state.caseId}`,
            kind: 'case_parked',
            severity: 'warning',
            message: `case ${state.caseId} parked in the manual queue: ${state.problem}`,
            caseId: state.caseId,
            at: snapshot.at,
          });
        });
      }),
    recordDecision: ({ snapshot, decision }) =>
      refusingBadData(() =>
        recordDecision(db, snapshot, decision, { audit: drawnForAudit(caseHash(decision.caseId), auditRate) }),
      ),
    recordRefusedReview: (refused) => refusingBadData(() => recordRefusedReview(db, refused)),
  };
}
