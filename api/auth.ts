// Bearer-key authentication with roles: 401 without a valid key, 403 with the wrong role.
import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { ApiError } from './errors';
import { keyFingerprint, type ApiKeyTable } from '../config/api-keys';
import type { Role } from '../domain/roles';

export interface Principal {
  /** Non-secret name of the key, recorded as the actor when a request names none. */
  id: string;
  roles: ReadonlySet<Role>;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

function lookup(table: ApiKeyTable, presented: string): ReadonlySet<Role> | undefined {
  const p = Buffer.from(presented);
  for (const [key, roles] of table) {
    const k = Buffer.from(key);
    if (k.length === p.length && timingSafeEqual(k, p)) return roles;
  }
  return undefined;
}

export function authenticate(table: ApiKeyTable): RequestHandler {
  return (req, _res, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    const roles = match ? lookup(table, match[1]) : undefined;
    if (!match || !roles) {
      return next(new ApiError(401, 'unauthorized', 'a valid API key is required: Authorization: Bearer <key>'));
    }
    req.principal = { id: keyFingerprint(match[1]), roles };
    next();
  };
}

export function requireRole(...allowed: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (allowed.some((role) => req.principal?.roles.has(role))) return next();
    next(new ApiError(403, 'forbidden', `this needs one of the roles: ${allowed.join(', ')}`));
  };
}
