// The alerts table: raised once per cause (a unique key), listed for operators, and delivered to a
// webhook by the worker with retries, apart from any case.
import type { Knex } from 'knex';

export interface Alert {
  key: string;
  kind: 'mode_change' | 'case_parked' | 'early_warning';
  severity: 'warning' | 'critical';
  message: string;
  evidence?: unknown;
  caseId?: string;
  at: string;
}

export interface StoredAlert extends Alert {
  id: number;
  deliveredAt: string | null;
  attempts: number;
}

/** Raises the alert once: a retried write adds nothing. True when it is new. */
export async function raiseAlert(db: Knex, alert: Alert): Promise<boolean> {
  const inserted = await db('alerts')
    .insert({
      key: alert.key,
      kind: alert.kind,
      severity: alert.severity,
      message: alert.message,
      evidence: alert.evidence === undefined ? null : JSON.stringify(alert.evidence),
      case_id: alert.caseId ?? null,
      at: alert.at,
    })
    .onConflict('key')
    .ignore()
    .returning('id');
  if (inserted.length > 0)
    console.warn(
      JSON.stringify({ alert: alert.kind, severity: alert.severity, message: alert.message, caseId: alert.caseId }),
    );
  return inserted.length > 0;
}

function toAlert(row: Record<string, any>): StoredAlert {
  return {
    id: Number(row.id),
    key: row.key,
    kind: row.kind,
    severity: row.severity,
    message: row.message,
    evidence: row.evidence ?? undefined,
    caseId: row.case_id ?? undefined,
    at: new Date(row.at).toISOString(),
    deliveredAt: row.delivered_at ? new Date(row.delivered_at).toISOString() : null,
    attempts: row.attempts,
  };
}

/** Newest first; only those raised since `since` when given. */
export async function listAlerts(db: Knex, limit: number, since?: Date): Promise<StoredAlert[]> {
  const query = db('alerts').orderBy('id', 'desc').limit(limit);
  if (since) query.where('at', '>=', since);
  return (await query).map(toAlert);
}

/** Alerts not yet delivered whose next attempt is due, oldest first. */
export async function dueAlerts(db: Knex, maxAttempts: number, limit = 20): Promise<StoredAlert[]> {
  const rows = await db('alerts')
    .whereNull('delivered_at')
    .andWhere('attempts', '<', maxAttempts)
    .andWhere((due) => due.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', new Date()))
    .orderBy('id')
    .limit(limit);
  return rows.map(toAlert);
}

export async function markDelivered(db: Knex, id: number): Promise<void> {
  await db('alerts')
    .where({ id })
    .update({ delivered_at: new Date(), attempts: db.raw('attempts + 1') });
}

export async function markFailedAttempt(db: Knex, id: number, retryInMs: number): Promise<void> {
  await db('alerts')
    .where({ id })
    .update({ attempts: db.raw('attempts + 1'), next_attempt_at: new Date(Date.now() + retryInMs) });
}
