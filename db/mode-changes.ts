// The mode_changes table and the PostgreSQL channel that pushes each change to every worker.
import type { Knex } from 'knex';
import type { ModeState } from '../domain/case';
import { raiseAlert } from './alerts';

export const MODE_CHANNEL = 'agent_ops_mode_changed';

/** Persists the change and notifies listeners in one transaction: NOTIFY is delivered on commit. */
export async function publishModeChange(db: Knex, change: ModeState, previous: ModeState['mode']): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('mode_changes')
      .insert({
        seq: change.seq,
        mode: change.mode,
        previous_mode: previous,
        reason: change.reason,
        operator: change.operator,
        changed_at: change.since,
        evidence: change.evidence === undefined ? null : JSON.stringify(change.evidence),
      })
      .onConflict('seq')
      .ignore();
    // A change automation made is an alert for the operators, raised with the change itself.
    if (change.operator.startsWith('system:')) {
      await raiseAlert(trx, {
        key: `mode:${change.seq}`,
        kind: 'mode_change',
        severity: change.mode === 'shutdown' || change.mode === 'human_routing' ? 'critical' : 'warning',
        message: `mode ${previous} -> ${change.mode}: ${change.reason}`,
        evidence: change.evidence,
        at: change.since,
      });
    }
    // NOTIFY payloads are limited to 8000 bytes: listeners need the mode, not its evidence.
    const { evidence: _evidence, ...notified } = change;
    await trx.raw('SELECT pg_notify(?, ?)', [MODE_CHANNEL, JSON.stringify(notified)]);
  });
}

export async function latestModeChange(db: Knex): Promise<ModeState | null> {
  const row = await db('mode_changes').orderBy('seq', 'desc').first();
  if (!row) return null;
  return {
    mode: row.mode,
    since: new Date(row.changed_at).toISOString(),
    reason: row.reason,
    operator: row.operator,
    seq: Number(row.seq),
  };
}

export async function listModeChanges(db: Knex, limit: number): Promise<(ModeState & { previousMode: string })[]> {
  const rows = await db('mode_changes').orderBy('seq', 'desc').limit(limit);
  return rows.map((r) => ({
    mode: r.mode,
    previousMode: r.previous_mode,
    since: new Date(r.changed_at).toISOString(),
    reason: r.reason,
    operator: r.operator,
    seq: Number(r.seq),
    evidence: r.evidence ?? null,
  }));
}
