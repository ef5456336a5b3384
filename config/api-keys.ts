// API keys, whom they belong to and the roles they carry, from configuration:
// "alice=k1:reviewer,bob=k2:reviewer+ops,svc-intake=k3:service". A holder whose name starts with
// `svc-` is a service account, any other holder a person. The older "key:role" form still works,
// as a service account named after the key's fingerprint. Only digests of the keys are kept.
import { createHash } from 'node:crypto';
import { isPerson } from '../domain/modes';
import { ROLES, type Role } from '../domain/roles';

export interface KeyHolder {
  /** Recorded as the reviewer or operator of what the key does. */
  name: string;
  /** A person, not a service account: only a person's ops key may lift a shutdown. */
  person: boolean;
  roles: ReadonlySet<Role>;
}

export interface ApiKeyEntry {
  /** SHA-256 of the key: compared in constant time, over a fixed length, never the key itself. */
  digest: Buffer;
  holder: KeyHolder;
}

export type ApiKeyTable = readonly ApiKeyEntry[];

/** Keys shorter than this are refused outside development: they could be guessed. */
export const MIN_KEY_LENGTH = 24;

const HOLDER_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/;

export function keyDigest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/** A stable, non-secret name for a key given without a holder. */
export function keyFingerprint(key: string): string {
  return `key:${keyDigest(key).toString('hex').slice(0, 10)}`;
}

export function parseApiKeys(spec: string, options: { development: boolean }): ApiKeyTable {
  const entries: ApiKeyEntry[] = [];
  const names = new Set<string>();
  const items = spec
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item && !item.startsWith('#'));
  for (const item of items) {
    const sep = item.lastIndexOf(':');
    if (sep <= 0) throw new Error(`'${redact(item)}' is not [holder=]key:role[+role]`);
    const named = /^([^=:]+)=(.+)$/.exec(item.slice(0, sep));
    const key = named ? named[2] : item.slice(0, sep);
    const name = named ? named[1] : keyFingerprint(key);
    if (named && !HOLDER_NAME.test(name)) throw new Error(`holder '${name}' must be a name of A-Z a-z 0-9 . _ @ -`);
    if (names.has(name)) throw new Error(`holder '${name}' has more than one key`);
    names.add(name);
    if (!options.development && key.length < MIN_KEY_LENGTH) {
      throw new Error(`the key of '${name}' is shorter than ${MIN_KEY_LENGTH} characters`);
    }
    const roles = item.slice(sep + 1).split('+');
    for (const role of roles) {
      if (!(ROLES as readonly string[]).includes(role)) {
        throw new Error(`unknown role '${role}' (roles: ${ROLES.join(', ')})`);
      }
    }
    const person = isPerson(name);
    entries.push({ digest: keyDigest(key), holder: { name, person, roles: new Set(roles as Role[]) } });
  }
  if (entries.length === 0) throw new Error('no keys given');
  if (new Set(entries.map((entry) => entry.digest.toString('hex'))).size !== entries.length) {
    throw new Error('the same key is given twice');
  }
  return entries;
}

/** An entry as it may appear in an error message: the holder, never the key. */
function redact(item: string): string {
  const holder = /^([^=:]+)=/.exec(item)?.[1];
  return holder ? `${holder}=…` : '…';
}

/**
 * Well-known keys for a development stack started without API_KEYS, so the README's curl works
 * as written. Only when NODE_ENV=development (which `npm start` sets unless told otherwise).
 */
export function developmentKeys(): { table: ApiKeyTable; keys: { key: string; holder: string; roles: Role[] }[] } {
  const keys = ROLES.map((role) => ({
    key: `dev-${role}-key`,
    holder: role === 'service' ? 'svc-dev' : `dev-${role}`,
    roles: [role],
  }));
  const spec = keys.map(({ key, holder, roles }) => `${holder}=${key}:${roles.join('+')}`).join(',');
  return { table: parseApiKeys(spec, { development: true }), keys };
}
