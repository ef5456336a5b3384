// The Express application: JSON in and out, versioned under /v1, keys with roles, one error handler.
import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import type { Knex } from 'knex';
import { authenticate } from './auth';
import { perKeyRateLimit, securityHeaders } from './protection';
import { refuseUnstorableText, requireUtf8 } from './text-guard';
import { openApiDocument } from './openapi';
import { ApiError, errorHandler } from './errors';
import type { ApiKeyTable } from '../config/api-keys';
import { caseRoutes } from './routes/cases';
import { governorRoutes } from './routes/governor';
import { healthRoutes } from './routes/health';
import { invoiceRoutes } from './routes/invoices';
import { DEFAULT_MAX_PDF_BYTES } from '../extraction/pdf-intake';
import { referenceRoutes } from './routes/reference';
import { ticketRoutes } from './routes/tickets';
import type { CaseService } from './services/cases';
import type { GovernorService } from './services/governor';

const API_VERSION = '1.0.0';

export interface AppDeps {
  client: Client;
  db: Knex;
  cases: CaseService;
  governor: GovernorService;
  apiKeys: ApiKeyTable;
  bodyLimit: string;
  /** Largest invoice PDF taken, in bytes (default: the intake check's). */
  invoiceMaxBytes?: number;
  /** The task queue workers poll: readiness checks that one does. */
  taskQueue: string;
  /** Requests per minute per key; 0: no limit. */
  rateLimitPerMinute: number;
  log?: (msg: string, err: unknown) => void;
  /** One structured line per request (method, path, status, duration, key); off when absent. */
  accessLog?: (entry: Record<string, unknown>) => void;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders());
  if (deps.accessLog) {
    const accessLog = deps.accessLog;
    app.use((req, res, next) => {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        accessLog({
          at: new Date().toISOString(),
          method: req.method,
          path: req.originalUrl.split('?')[0],
          status: res.statusCode,
          ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
          holder: req.principal?.name ?? null,
        });
      });
      next();
    });
  }
  app.use(healthRoutes(deps.client, deps.db, deps.taskQueue));
  // The contract is public; everything else under /v1 needs a key.
  const contract = openApiDocument(API_VERSION);
  app.get('/v1/openapi.json', (_req, res) => {
    res.json(contract);
  });
  const v1 = express.Router();
  v1.use(authenticate(deps.apiKeys));
  v1.use(perKeyRateLimit(deps.rateLimitPerMinute));
  // Multipart, before the JSON-only rule below; it checks its own text fields.
  v1.use(invoiceRoutes(deps.cases, deps.invoiceMaxBytes ?? DEFAULT_MAX_PDF_BYTES));
  v1.use(express.json({ limit: deps.bodyLimit, strict: true, verify: requireUtf8 }));
  v1.use(refuseUnstorableText);
  v1.use((req, _res, next) => {
    if (req.method === 'POST' && !req.is('application/json')) {
      return next(new ApiError(415, 'unsupported_media_type', 'send the body as application/json'));
    }
    next();
  });
  v1.use(ticketRoutes(deps.cases), caseRoutes(deps.cases), governorRoutes(deps.governor), referenceRoutes(deps.db));
  app.use('/v1', v1);
  app.use((req, _res, next) => next(new ApiError(404, 'not_found', `no route for ${req.method} ${req.path}`)));
  app.use(errorHandler(deps.log ?? ((msg, err) => console.error(msg, err))));
  return app;
}
