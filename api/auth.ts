// Bearer-key authentication with roles: 401 without a valid key, 403 with the wrong role. The key
// names its holder, who is recorded as the reviewer or operator of what the request does; a body
// that names someone else is refused (403): nobody acts under another name.
import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { keyDigest, type ApiKeyTable, type KeyHolder } from '../config/api-keys';
import type { Role } from '../domain/roles';
import { ApiError } from './errors';

export type Principal = KeyHolder;

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** Every entry is compared, each in constant time over a 32-byte digest: timing tells nothing. */
function lookup(table: ApiKeyTable, presented: string): KeyHolder | undefined {
  const digest = keyDigest(presented);
  let found: KeyHolder | undefined;
  for (const entry of table) {
    if (timingSafeEqual(entry.digest, digest)) found = entry.holder;
  }
  return found;
}

/** The keys in force: a table, or a ring whose table is replaced when the keys rotate. */
export type Keys = ApiKeyTable | { readonly current: ApiKeyTable };

export function authenticate(keys: Keys): RequestHandler {
  return (req, _res, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    const table = 'current' in keys ? keys.current : keys;
    const holder = match ? lookup(table, match[1]) : undefined;
    if (!holder) {
      return next(new ApiError(401, 'unauthorized', 'a valid API key is required: Authorization: Bearer <key>'));
    }
    req.principal = holder;
    next();
  };
}

export function requireRole(...allowed: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (allowed.some((role) => req.principal?.roles.has(role))) return next();
    next(new ApiError(403, 'forbidden', `this needs one of the roles: ${allowed.join(', ')}`));
  };
}

/**
 * The name a request acts under: its key's holder. A name declared in the body (`reviewer`,
 * `operator`) may only repeat it.
 */
export function actingAs(req: Request, declared: string | undefined, field: string): string {
  const holder = req.principal!.name;
  if (declared !== undefined && declared !== holder) {
    throw new ApiError(403, 'identity_mismatch', `${field}: this key belongs to '${holder}', not '${declared}'`, field);
  }
  return holder;
}
