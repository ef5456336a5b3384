// The Express application: JSON in and out, versioned under /v1, keys with roles, one error handler.
import type { Client } from '@temporalio/client';
import { dirname, join } from 'node:path';
import express, { type Express } from 'express';
import type { Knex } from 'knex';
import { authenticate, type Keys } from './auth';
import { perKeyRateLimit, securityHeaders } from './protection';
import { refuseUnstorableText, requireUtf8 } from './text-guard';
import { openApiDocument } from './openapi';
import { ApiError, errorHandler } from './errors';
import type { ApiKeyTable } from '../config/api-keys';
import { caseRoutes } from './routes/cases';
import { governorRoutes } from './routes/governor';
import { healthRoutes } from './routes/health';
import { deskRoutes } from './routes/desk';
import { createMetrics } from './metrics';
import { parseCaseId } from '../domain/case';
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
  /** The keys in force (a ring when they can rotate without a restart). */
  apiKeys: Keys;
  bodyLimit: string;
  /** Largest invoice PDF taken, in bytes (default: the intake check's). */
  invoiceMaxBytes?: number;
  /** The task queue workers poll: readiness checks that one does. */
  taskQueue: string;
  /** Requests per minute per key; 0: no limit. */
  rateLimitPerMinute: number;
  log?: (msg: string, err: unknown) => void;
  /** A case's workflow in the Temporal Web UI, `{workflowId}` to fill in: the review page links to it. */
  workflowUrl?: string;
  /** The Temporal SDK's metrics exporter of a worker in this process, appended to /metrics. */
  temporalMetricsAddress?: string;
  /** One structured line per request (method, path, status, duration, key); off when absent. */
  accessLog?: (entry: Record<string, unknown>) => void;
}

/** The case id a request names in its path, or the one the route started (`res.locals.caseId`). */
function caseOfRequest(url: string, started: unknown): { caseId: string; workflowId: string } | Record<string, never> {
  const named = /^\/v1\/cases\/([^/?]+)/.exec(url)?.[1];
  const caseId =
    typeof started === 'string' ? started : named && parseCaseId(decodeURIComponentSafe(named)) ? named : null;
  return caseId ? { caseId, workflowId: caseId } : {};
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
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
          // The case a request is about (its workflow has the same id), for following a case in the logs.
          ...caseOfRequest(req.originalUrl, res.locals.caseId),
          ...(typeof res.locals.runId === 'string' ? { runId: res.locals.runId } : {}),
        });
      });
      next();
    });
  }
  app.use(healthRoutes(deps.client, deps.db, deps.taskQueue));
  // The review page: static files and the charting library from the project's own dependencies.
  app.use('/ui/vendor/pdfjs', express.static(dirname(require.resolve('pdfjs-dist/build/pdf.min.mjs'))));
  app.use('/ui/vendor', express.static(dirname(require.resolve('uplot/dist/uPlot.esm.js'))));
  app.use('/ui', express.static(join(__dirname, '..', 'ui')));
  app.get('/', (_req, res) => res.redirect('/ui/'));
  // Prometheus scrapes without a key, like the health checks: the API listens on loopback unless told otherwise.
  const metrics = createMetrics({
    db: deps.db,
    governor: deps.governor,
    temporalMetricsAddress: deps.temporalMetricsAddress,
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.text());
  });
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
  v1.use(
    ticketRoutes(deps.cases),
    caseRoutes(deps.cases),
    governorRoutes(deps.governor),
    referenceRoutes(deps.db),
    deskRoutes(deps.db, deps.governor, deps.workflowUrl),
  );
  app.use('/v1', v1);
  app.use((req, _res, next) => next(new ApiError(404, 'not_found', `no route for ${req.method} ${req.path}`)));
  app.use(errorHandler(deps.log ?? ((msg, err) => console.error(msg, err))));
  return app;
}
