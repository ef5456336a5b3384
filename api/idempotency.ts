// The same externalId is the same case only for the same request: a reused id with a different body
// is refused (409), as payment APIs treat a reused idempotency key. The request's fingerprint is
// kept in the case workflow's memo, so the check holds even when PostgreSQL has no row yet.
import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so two equal bodies give one fingerprint whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function requestFingerprint(body: unknown): string {
  return createHash('sha256').update(canonical(body)).digest('hex');
}

export const FINGERPRINT_MEMO_KEY = 'requestFingerprint';
