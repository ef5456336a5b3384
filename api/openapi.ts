// The OpenAPI document, generated from the same zod schemas that validate requests, so the
// published contract and the enforced one cannot drift apart.
import { zodToJsonSchema } from 'zod-to-json-schema';
import type { ZodTypeAny } from 'zod';
import { CASE_KINDS, CASE_STATUSES, MODES, ROUTES } from '../domain/case';
import { REVIEW_RULES_OF_KIND } from '../domain/kinds';
import { BankAccountBody, ListQuery, PurchaseOrderBody, ReceiptBody, VendorBody } from './reference-schemas';
import { CaseListQuery, ChangesQuery, FeedbackBody, InvoiceForm, ModeBody, ReviewBody, TicketBody } from './schemas';

// Typed loosely on purpose: zodToJsonSchema's generic signature is too deep for tsc on our schemas.
const toJsonSchema = zodToJsonSchema as unknown as (s: ZodTypeAny, o: object) => object;
const schema = (s: ZodTypeAny) => toJsonSchema(s, { target: 'openApi3', $refStrategy: 'none' });

const error = { $ref: '#/components/schemas/Error' };
const json = (s: object) => ({ content: { 'application/json': { schema: s } } });
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: ERROR_TEXT[c], ...json(error) }]));
const ERROR_TEXT: Record<number, string> = {
  400: 'invalid request (the message names the field)',
  401: 'no valid API key',
  403: 'the key lacks the role (or separation of duties refuses this approver)',
  404: 'not found',
  409: 'conflict with the case or mode state (idempotency_conflict: the externalId was used with another request)',
  413: 'body over the size limit',
  415: 'body is not JSON (multipart for invoices; not_a_pdf for a file that is not a PDF)',
  422: 'the case cannot take this review; for an invoice file: encrypted_pdf, unreadable_pdf',
  503: 'Temporal or PostgreSQL does not answer; retry',
};

function queryParams(zodSchema: ZodTypeAny) {
  const js = schema(zodSchema) as { properties: Record<string, object>; required?: string[] };
  return Object.entries(js.properties).map(([name, p]) => ({
    name,
    in: 'query',
    required: js.required?.includes(name) ?? false,
    schema: p,
  }));
}

const caseStarted = {
  description: 'new case started',
  ...json({
    type: 'object',
    properties: { caseId: { type: 'string' }, status: { type: 'string', enum: [...CASE_STATUSES] } },
  }),
};

export function openApiDocument(version: string): object {
  const caseId = { name: 'caseId', in: 'path', required: true, schema: { type: 'string', example: 'ticket-demo-1' } };
  const vendorId = { name: 'vendorId', in: 'path', required: true, schema: { type: 'string', example: 'V-ACME' } };
  const poNumber = { name: 'poNumber', in: 'path', required: true, schema: { type: 'string', example: 'PO-1001' } };
  return {
    openapi: '3.0.3',
    info: {
      title: 'agent-ops API',
      version,
      description:
        'Support tickets and invoices as durable Temporal workflows with confidence routing and human review.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'API key; roles: service, reviewer, ops, auditor' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
            },
          },
        },
        Case: {
          type: 'object',
          description:
            'A case as GET /v1/cases/{caseId} returns it. `category` is where the case is now (what to route by); ' +
            "the agent's proposal is `suggestion`, kept after a correction and null while hidden (shutdown).",
          properties: {
            caseId: { type: 'string', example: 'ticket-demo-1' },
            kind: { type: 'string', enum: [...CASE_KINDS] },
            externalId: { type: 'string' },
            status: { type: 'string', enum: [...CASE_STATUSES] },
            route: { type: 'string', enum: [...ROUTES], nullable: true },
            routeReason: { type: 'string', nullable: true },
            mode: { type: 'string', enum: [...MODES] },
            category: {
              type: 'string',
              nullable: true,
              description:
                "The case's current category (team): the final one once decided (null when rejected), " +
                "before that the agent's proposal (null while hidden).",
            },
            suggestionHidden: { type: 'boolean' },
            suggestion: {
              type: 'object',
              nullable: true,
              description: "The agent's proposal, as it made it; a reviewer's correction does not change it.",
              properties: {
                intent: { type: 'string' },
                category: { type: 'string' },
                confidence: { type: 'number' },
                runnerUp: { type: 'object', nullable: true },
                explanation: { type: 'array', items: { type: 'object' } },
                nearest: { type: 'array', items: { type: 'object' } },
                anomaly: { type: 'boolean' },
              },
            },
            modelVersion: { type: 'string', nullable: true },
            escalated: { type: 'boolean' },
            decision: {
              type: 'object',
              nullable: true,
              properties: {
                outcome: { type: 'string', enum: ['auto_decided', 'approved', 'corrected', 'rejected'] },
                finalCategory: { type: 'string', nullable: true },
                reviewer: { type: 'string', nullable: true },
                comment: { type: 'string', nullable: true },
                decidedAt: { type: 'string', format: 'date-time' },
              },
            },
            ticket: {
              type: 'object',
              description: 'The ticket part (kind ticket): what the customer wrote.',
              properties: { subject: { type: 'string' }, customer: { type: 'object', nullable: true } },
            },
            workflowId: { type: 'string' },
            runId: { type: 'string', nullable: true },
            createdAt: { type: 'string', format: 'date-time' },
            updatedAt: { type: 'string', format: 'date-time' },
            decidedAt: { type: 'string', format: 'date-time', nullable: true },
          },
        },
      },
    },
    paths: {
      '/v1/tickets': {
        post: {
          summary: 'Open a ticket case (role: service). The same externalId returns the same case.',
          requestBody: { required: true, ...json(schema(TicketBody)) },
          responses: {
            '202': caseStarted,
            '200': { description: 'the existing case for this externalId, sent with the same request (safe to retry)' },
            ...errors(400, 401, 403, 409, 413, 415, 503),
          },
        },
      },
      '/v1/invoices': {
        post: {
          summary:
            'Submit an invoice PDF (role: service). The same externalId with the same form and file returns the ' +
            'same case; the same bytes from the same vendor under another externalId return the first case, ' +
            'flagged duplicateSubmission. A bad file is refused with nothing stored.',
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['file', 'externalId'],
                  properties: {
                    file: { type: 'string', format: 'binary', description: 'the invoice PDF' },
                    ...(schema(InvoiceForm) as { properties: object }).properties,
                  },
                },
              },
            },
          },
          responses: {
            '202': caseStarted,
            '200': { description: 'the existing case (a retry, or a duplicate submission: duplicateSubmission true)' },
            ...errors(400, 401, 403, 409, 413, 415, 422, 503),
          },
        },
      },
      '/v1/cases/{caseId}/document': {
        get: {
          summary: "An invoice case's PDF as submitted",
          parameters: [caseId],
          responses: {
            '200': {
              description: 'the PDF',
              content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
            },
            ...errors(401, 403, 404, 503),
          },
        },
      },
      '/v1/cases': {
        get: {
          summary: 'The queue, newest first',
          parameters: queryParams(CaseListQuery),
          responses: { '200': { description: '{items, nextCursor}' }, ...errors(400, 401, 403, 503) },
        },
      },
      '/v1/cases/{caseId}': {
        get: {
          summary: 'One case',
          parameters: [caseId],
          responses: {
            '200': { description: 'the case', ...json({ $ref: '#/components/schemas/Case' }) },
            ...errors(401, 403, 404, 503),
          },
        },
      },
      '/v1/cases/{caseId}/review': {
        post: {
          summary:
            `Review a case (role: reviewer): tickets ${REVIEW_RULES_OF_KIND.ticket.decisions.join(' | ')}; ` +
            `invoices ${REVIEW_RULES_OF_KIND.invoice.decisions.join(' | ')} (403 separation_of_duties: the ` +
            'submitter, or a second approval from the same person)',
          parameters: [caseId],
          requestBody: { required: true, ...json(schema(ReviewBody)) },
          responses: {
            '200': { description: 'the decided case', ...json({ $ref: '#/components/schemas/Case' }) },
            ...errors(400, 401, 403, 404, 409, 422, 503),
          },
        },
      },
      '/v1/cases/{caseId}/feedback': {
        post: {
          summary:
            'A downstream verdict on a decided case (role: service or reviewer): one per case and source; ' +
            'the same verdict again answers the first (200), a different one is 409 feedback_conflict',
          parameters: [caseId],
          requestBody: { required: true, ...json(schema(FeedbackBody)) },
          responses: {
            '201': { description: 'the outcome recorded' },
            '200': { description: 'the outcome this source recorded before' },
            ...errors(400, 401, 403, 404, 409, 503),
          },
        },
      },
      '/v1/governor': {
        get: {
          summary: 'The mode in force, scoped modes, the error budget per window and category, warnings and alerts',
          responses: {
            '200': {
              description:
                '{mode, since, reason, operator, seq, scopes, budget: {budget, windows: [{window, evaluated, errors, rate, ' +
                'lowerBound, budgetLeft}], categories: {<category>: [fast, slow]}}, warnings, alerts}',
            },
            ...errors(401, 403, 503),
          },
        },
      },
      '/v1/governor/alerts': {
        get: {
          summary:
            'Alerts for operators, newest first: automatic mode changes (with evidence), early warnings, and cases ' +
            'parked because PostgreSQL refused their data; also POSTed to ALERT_WEBHOOK_URL',
          parameters: queryParams(ChangesQuery),
          responses: { '200': { description: '{items}' }, ...errors(400, 401, 403, 503) },
        },
      },
      '/v1/governor/changes': {
        get: {
          summary: 'Recorded mode changes, newest first',
          parameters: queryParams(ChangesQuery),
          responses: { '200': { description: '{items}' }, ...errors(400, 401, 403, 503) },
        },
      },
      '/v1/governor/mode': {
        post: {
          summary:
            'Change the mode by hand (role: ops), globally or for one scope (category:<name>, kind:<kind>); ' +
            'answers once persisted and broadcast',
          requestBody: { required: true, ...json(schema(ModeBody)) },
          responses: { '200': { description: 'the new mode state' }, ...errors(400, 401, 403, 409, 503) },
        },
      },
      '/v1/vendors': {
        get: {
          summary: 'The vendor master, by id',
          parameters: queryParams(ListQuery),
          responses: { '200': { description: '{items: [{vendorId, name, status}]}' }, ...errors(400, 401, 403, 503) },
        },
      },
      '/v1/vendors/{vendorId}': {
        get: {
          summary: 'One vendor, with every bank account it has held',
          parameters: [vendorId],
          responses: { '200': { description: 'the vendor' }, ...errors(400, 401, 403, 404, 503) },
        },
        put: {
          summary: 'Create or update a vendor (role: ops)',
          parameters: [vendorId],
          requestBody: { required: true, ...json(schema(VendorBody)) },
          responses: {
            '201': { description: 'created' },
            '200': { description: 'updated' },
            ...errors(400, 401, 403, 503),
          },
        },
      },
      '/v1/vendors/{vendorId}/bank-accounts': {
        post: {
          summary: 'A new bank account in force for the vendor; the old ones stay on record (role: ops)',
          parameters: [vendorId],
          requestBody: { required: true, ...json(schema(BankAccountBody)) },
          responses: { '201': { description: 'the vendor' }, ...errors(400, 401, 403, 404, 503) },
        },
      },
      '/v1/purchase-orders': {
        post: {
          summary: 'A purchase order with its lines; unit prices in major units, two decimals at most (role: ops)',
          requestBody: { required: true, ...json(schema(PurchaseOrderBody)) },
          responses: { '201': { description: 'the purchase order' }, ...errors(400, 401, 403, 409, 503) },
        },
      },
      '/v1/purchase-orders/{poNumber}': {
        get: {
          summary: 'A purchase order, its lines (unit prices in minor units) and goods receipts',
          parameters: [poNumber],
          responses: { '200': { description: 'the purchase order' }, ...errors(400, 401, 403, 404, 503) },
        },
      },
      '/v1/purchase-orders/{poNumber}/receipts': {
        post: {
          summary: 'Goods received against one line (role: ops)',
          parameters: [poNumber],
          requestBody: { required: true, ...json(schema(ReceiptBody)) },
          responses: {
            '201': { description: 'the purchase order with its receipts' },
            ...errors(400, 401, 403, 404, 503),
          },
        },
      },
    },
  };
}
