// Typed errors the use cases raise and the one handler that maps them (and Express's own body
// errors) to JSON responses. Nothing else in the API decides a status code for a failure.
import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);

export function fromZod(err: ZodError): ApiError {
  const issue = err.issues[0];
  const field = issue.path.join('.') || undefined;
  const message = issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message;
  return new ApiError(400, 'invalid_request', field ? `${field}: ${message}` : message, field);
}

export function errorHandler(log: (msg: string, err: unknown) => void): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    let e: ApiError;
    if (err instanceof ApiError) e = err;
    else if (err instanceof ZodError) e = fromZod(err);
    else if (err?.type === 'entity.too.large')
      e = new ApiError(413, 'payload_too_large', `request body exceeds ${err.limit} bytes`);
    else if (err?.type === 'entity.parse.failed')
      e = new ApiError(400, 'malformed_json', 'request body is not valid JSON');
    else if (err?.type === 'encoding.unsupported' || err?.type === 'charset.unsupported')
      e = new ApiError(415, 'unsupported_encoding', err.message);
    else if (isUnavailable(err))
      e = new ApiError(503, 'unavailable', 'a backing service (Temporal or PostgreSQL) is not answering; retry later');
    else {
      log('unhandled error', err);
      e = new ApiError(500, 'internal', 'internal error');
    }
    res.status(e.status).json({ error: { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) } });
  };
}

const GRPC_UNAVAILABLE = 14;
const PG_CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03']);

/** Temporal or PostgreSQL down is the caller's cue to retry, not a bug: 503, not 500. */
function isUnavailable(err: unknown): boolean {
  for (
    let e = err as { code?: unknown; cause?: unknown; name?: string } | undefined, depth = 0;
    e && depth < 4;
    e = e.cause as typeof e, depth++
  ) {
    if (e.code === GRPC_UNAVAILABLE || (typeof e.code === 'string' && PG_CONNECTION_ERRORS.has(e.code))) return true;
    if (e.name === 'KnexTimeoutError') return true;
  }
  return false;
}
