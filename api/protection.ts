// What every request meets before a route: security headers, and a limit per API key so that one
// client (or a leaked key) cannot crowd out the rest. Both from maintained middleware.
import { rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { ApiError } from './errors';

export function securityHeaders(): RequestHandler {
  // Helmet's defaults, plus blob: frames: the review page shows an invoice's PDF from a blob URL
  // it fetched with the reviewer's key (the PDF route needs the key; a plain src cannot send it).
  return helmet({
    contentSecurityPolicy: {
      directives: { 'frame-src': ["'self'", 'blob:'], 'object-src': ["'self'", 'blob:'] },
    },
  });
}

/** After authentication: counts per key holder, answers 429 in the API's error shape. */
export function perKeyRateLimit(perMinute: number): RequestHandler {
  if (perMinute === 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => req.principal!.name,
    handler: (_req, _res, next) =>
      next(new ApiError(429, 'rate_limited', `more than ${perMinute} requests a minute with this key; retry later`)),
  });
}
