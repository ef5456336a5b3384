// API keys and the roles they carry, from configuration: "k1:service,k2:reviewer,k5:reviewer+ops".
import { createHash } from 'node:crypto';
import { ROLES, type Role } from '../domain/roles';

export type ApiKeyTable = ReadonlyMap<string, ReadonlySet<Role>>;

export function parseApiKeys(spec: string): ApiKeyTable {
  const table = new Map<string, Set<Role>>();
  const entries = spec
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const sep = entry.lastIndexOf(':');
    if (sep <= 0) throw new Error(`'${entry}' is not key:role[+role]`);
    const key = entry.slice(0, sep);
    const roles = entry.slice(sep + 1).split('+');
    for (const role of roles) {
      if (!(ROLES as readonly string[]).includes(role)) {
        throw new Error(`unknown role '${role}' (roles: ${ROLES.join(', ')})`);
      }
    }
    table.set(key, new Set(roles as Role[]));
  }
  if (table.size === 0) throw new Error('no keys given');
  return table;
}

/**
 * Well-known keys for a development stack started without API_KEYS, so the README's curl works
 * as written. Refused when NODE_ENV=production (see config/index.ts).
 */
export function developmentKeys(): { table: ApiKeyTable; spec: string } {
  const spec = ROLES.map((role) => `dev-${role}-key:${role}`).join(',');
  return { table: parseApiKeys(spec), spec };
}

/** A stable, non-secret name for a key, recorded as the actor when a request names none. */
export function keyFingerprint(key: string): string {
  return `key:${createHash('sha256').update(key).digest('hex').slice(0, 10)}`;
}
