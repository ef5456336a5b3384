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
    else if (err instanceof URIError)
      e = new ApiError(400, 'invalid_request', 'the path holds a malformed percent-encoding');
    else if (isClientError(err)) e = new ApiError(err.status, 'invalid_request', err.message);
    else if (isUnavailable(err))
      e = new ApiError(503, 'unavailable', 'a backing service (Temporal or PostgreSQL) is not answering; retry later');
    else {
      log('unhandled error', err);
      e = new ApiError(500, 'internal', 'internal error');
    }
    res.status(e.status).json({ error: { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) } });
  };
}

/** Express's and body-parser's own errors that blame the request (e.g. a body that does not match its Content-Encoding). */
function isClientError(err: unknown): err is { status: number; message: string } {
  const candidate = err as { status?: unknown; expose?: unknown; message?: unknown } | undefined;
  return (
    typeof candidate?.status === 'number' &&
    candidate.status >= 400 &&
    candidate.status < 500 &&
    candidate.expose === true &&
    typeof candidate.message === 'string'
  );
}

const GRPC_UNAVAILABLE = 14;
// Sockets that fail, and the SQLSTATEs of a server that refuses or drops connections: connection
// exceptions (08…), shutting down (57P01-57P03), too many connections (53300), not accepting
// connections yet (55000 during start-up or recovery).
const PG_CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  'EHOSTUNREACH',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
  '55000',
  '57P01',
  '57P02',
  '57P03',
]);
/** node-postgres reports a dropped connection by message only. */
const PG_CONNECTION_MESSAGES = /Connection terminated|connection timeout|Client has encountered a connection error/i;

/** Temporal or PostgreSQL down is the caller's cue to retry, not a bug: 503, not 500. */
export function isUnavailable(err: unknown): boolean {
  for (
    let e = err as { code?: unknown; cause?: unknown; name?: string; message?: unknown } | undefined, depth = 0;
    e && depth < 4;
    e = e.cause as typeof e, depth++
  ) {
    if (e.code === GRPC_UNAVAILABLE || (typeof e.code === 'string' && PG_CONNECTION_ERRORS.has(e.code))) return true;
    if (e.name === 'KnexTimeoutError') return true;
    if (typeof e.message === 'string' && PG_CONNECTION_MESSAGES.test(e.message)) return true;
  }
  return false;
}
