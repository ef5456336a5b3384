// Refuses, at the edge, text that PostgreSQL could not store: invalid UTF-8 in a body (which would
// otherwise be turned silently into U+FFFD), and NUL characters or lone surrogates anywhere in a
// body or query string. Such a request is answered 400 and reaches no workflow and no table.
import { isUtf8 } from 'node:buffer';
import type { RequestHandler } from 'express';
import { findUnstorableText } from '../domain/storable-text';
import { ApiError } from './errors';

/** For express.json's `verify`: the raw body must be valid UTF-8. */
export function requireUtf8(_req: unknown, _res: unknown, body: Buffer): void {
  if (!isUtf8(body)) throw new ApiError(400, 'invalid_text', 'request body is not valid UTF-8');
}

export const refuseUnstorableText: RequestHandler = (req, _res, next) => {
  for (const [where, value] of [
    ['body', req.body],
    ['query', req.query],
  ] as const) {
    const found = findUnstorableText(value);
    if (found) {
      const field = found.path || undefined;
      return next(new ApiError(400, 'invalid_text', `${field ?? where}: ${found.problem}`, field));
    }
  }
  next();
};
