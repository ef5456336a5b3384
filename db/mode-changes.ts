// The mode_changes table and the PostgreSQL channel that pushes each change to every worker.
import type { Knex } from 'knex';
import type { ModeState } from '../domain/case';
import { GLOBAL_SCOPE, modeOfScope, stricter } from '../domain/scopes';
import { raiseAlert } from './alerts';

const scopeLabel = (change: ModeState) => (change.scope && change.scope !== GLOBAL_SCOPE ? `${change.scope}: ` : '');

export const MODE_CHANNEL = 'agent_ops_mode_changed';

/**
 * Persists the change and notifies listeners in one transaction: NOTIFY is delivered on commit.
 * `previous` is the mode the changed scope held before.
 */
export async function publishModeChange(db: Knex, change: ModeState, previous: ModeState['mode']): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('mode_changes')
      .insert({
        seq: change.seq,
        // The row shows the changed scope's mode; `scopes` keeps the whole picture after it.
        mode: modeOfScope(change, change.scope),
        previous_mode: previous,
        reason: change.reason,
        operator: change.operator,
        changed_at: change.since,
        evidence: change.evidence === undefined ? null : JSON.stringify(change.evidence),
        scope: change.scope ?? 'global',
        scopes: JSON.stringify({ ...(change.scopes ?? {}), [GLOBAL_SCOPE]: change.mode }),
      })
      .onConflict('seq')
      .ignore();
    // A change automation made is an alert for the operators, raised with the change itself.
    if (change.operator.startsWith('system:')) {
      await raiseAlert(trx, {
        key: `mode:${change.seq}`,
        kind: 'mode_change',
        severity: stricter(modeOfScope(change, change.scope), 'safe') ? 'critical' : 'warning',
        message: `${scopeLabel(change)}mode ${previous} -> ${modeOfScope(change, change.scope)}: ${change.reason}`,
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
    mode: row.scopes?.[GLOBAL_SCOPE] ?? row.mode,
    since: new Date(row.changed_at).toISOString(),
    reason: row.reason,
    operator: row.operator,
    seq: Number(row.seq),
    ...scopeFields(row),
  };
}

function scopeFields(row: Record<string, any>): Pick<ModeState, 'scope' | 'scopes'> {
  const { [GLOBAL_SCOPE]: _global, ...held } = row.scopes ?? {};
  const scopes = Object.keys(held).length > 0 ? held : undefined;
  return { ...(row.scope && row.scope !== GLOBAL_SCOPE ? { scope: row.scope } : {}), ...(scopes ? { scopes } : {}) };
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
    scope: r.scope,
    scopes: scopeFields(r).scopes ?? {},
  }));
}
