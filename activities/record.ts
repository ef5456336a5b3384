// Writes cases and decisions to PostgreSQL. Both writes are idempotent (versioned upsert,
// one decision per case), so a retried activity or a replayed workflow never writes twice.
import type { Knex } from 'knex';
import { recordDecision, upsertCase } from '../db/cases';
import type { CaseActivities } from '../workflows/activity-types';

export function recordActivities(db: Knex): Pick<CaseActivities, 'recordCase' | 'recordDecision'> {
  return {
    recordCase: (snapshot) => upsertCase(db, snapshot),
    recordDecision: ({ snapshot, decision }) => recordDecision(db, snapshot, decision),
  };
}
