// An invoice nobody approves, on the time-skipping test server: it is escalated, then held in the
// manual queue; no timer ever approves money, and a person can still decide it days later.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createActivities } from '../activities';
import { loadConfig } from '../config';
import { dropDatabase, openDatabase } from '../db/connect';
import { storeDocument } from '../db/invoices';
import { ModeListener } from '../db/mode-listener';
import { insertPurchaseOrder } from '../db/reference';
import { seedDemoReference } from '../db/seed-reference';
import { DEFAULT_INVOICE_POLICY } from '../domain/invoice/policy';
import { DEFAULT_THRESHOLDS } from '../domain/routing';
import { checkInvoicePdf } from '../extraction/pdf-intake';
import { timeSkippingServer } from '../infra/dev-server';
import { ensureSearchAttributes } from '../infra/search-attributes';
import { LinearTicketClassifier } from '../model/classifier';
import type { invoiceWorkflow } from '../workflows/invoice';
import { getCaseQuery } from '../workflows/messages';
import { eventually } from './support/eventually';
import { acmeInvoice, invoicePdf } from './support/invoices';
import { freshDatabaseUrl } from './support/stack';

const HOUR = 3600_000;
let env: TestWorkflowEnvironment;
let db: Knex;
let modes: ModeListener;
let worker: Worker;
let running: Promise<void>;
const databaseUrl = freshDatabaseUrl('invoice_timeouts');
const taskQueue = 'invoice-timeouts';

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: timeSkippingServer() } },
  });
  await ensureSearchAttributes(env.client);
  db = await openDatabase(databaseUrl);
  await seedDemoReference(db);
  await insertPurchaseOrder(db, {
    poNumber: 'PO-TS1',
    vendorId: 'V-ACME',
    currency: 'EUR',
    issuedOn: '2026-10-01',
    lines: [{ lineNo: 1, description: 'Laptop stand', quantity: 100, unitPrice: 45_00 }],
  });
  modes = new ModeListener(databaseUrl, db);
  await modes.start();
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundle') },
    activities: createActivities({
      db,
      client: env.client,
      classifier: LinearTicketClassifier.fromFile(loadConfig({}).modelPath),
      modes,
    }),
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await modes?.stop();
  await db?.destroy();
  await env?.teardown();
  await dropDatabase(databaseUrl);
});

/** Stores the PDF as the API would and starts its workflow: over the auto-approval limit, so it waits. */
async function start(id: string) {
  const invoice = acmeInvoice('PO-TS1', { lines: [{ description: 'Laptop stand', quantity: 30, unitPrice: 45_00 }] });
  const bytes = await invoicePdf(invoice);
  const checked = await checkInvoicePdf(bytes);
  if (!checked.ok) throw new Error(checked.message);
  const receivedAt = new Date().toISOString();
  await storeDocument(db, {
    caseId: id,
    sha256: checked.sha256,
    vendorId: 'V-ACME',
    content: bytes,
    pages: checked.pages,
    hasTextLayer: checked.hasTextLayer,
    submittedBy: null,
    at: receivedAt,
  });
  const document = { sha256: checked.sha256, bytes: checked.bytes, pages: checked.pages, hasTextLayer: true };
  return env.client.workflow.start<typeof invoiceWorkflow>('invoiceWorkflow', {
    workflowId: id,
    taskQueue,
    args: [
      {
        invoice: { externalId: id, vendorId: 'V-ACME', poNumber: null, submittedBy: null, receivedAt, document },
        policy: DEFAULT_INVOICE_POLICY,
        thresholds: DEFAULT_THRESHOLDS,
        reviewTimeouts: { escalateAfterMs: 4 * HOUR, finalTimeoutMs: 24 * HOUR },
      },
    ],
  });
}

describe('an invoice nobody approves', () => {
  it('is escalated, then held in the manual queue, never approved by a timer', async () => {
    const handle = await start('invoice-timeout-1');
    await env.sleep('1 minute');
    expect(await handle.query(getCaseQuery)).toMatchObject({
      status: 'awaiting_review',
      routeReason: 'approval_required',
      escalated: false,
    });

    await env.sleep(4 * HOUR);
    expect(await handle.query(getCaseQuery)).toMatchObject({ status: 'escalated', escalated: true });

    await env.sleep(20 * HOUR);
    expect(await handle.query(getCaseQuery)).toMatchObject({
      status: 'manual',
      routeReason: 'review_timeout',
      decision: null,
    });
    const row = () => db('cases').where({ case_id: 'invoice-timeout-1' }).first();
    await eventually(row, (r) => r?.status === 'manual' && r.route_reason === 'review_timeout', 'recorded in manual');

    // A month later: still waiting, nothing approved, nothing posted.
    await env.sleep(30 * 24 * HOUR);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect(await db('decisions').where({ case_id: 'invoice-timeout-1' })).toHaveLength(0);
    expect(
      (await db('purchase_order_lines').where({ po_number: 'PO-TS1', line_no: 1 }).first()).invoiced_quantity,
    ).toBe('0.000');

    await handle.signal('review', { decision: 'approve', reviewer: 'ap-lead', comment: 'found it' });
    expect(await handle.result()).toMatchObject({
      outcome: 'approved',
      finalCategory: 'pay',
      escalated: true,
      routeReason: 'review_timeout',
      approvals: [{ reviewer: 'ap-lead', via: 'signal' }],
    });
    expect(
      (await db('purchase_order_lines').where({ po_number: 'PO-TS1', line_no: 1 }).first()).invoiced_quantity,
    ).toBe('30.000');
  });

  it('a rejection before the escalation decides it without escalating, and posts nothing', async () => {
    const handle = await start('invoice-timeout-2');
    await env.sleep(2 * HOUR);
    await handle.signal('review', { decision: 'reject', reviewer: 'ap-day' });
    expect(await handle.result()).toMatchObject({ outcome: 'rejected', finalCategory: null, escalated: false });
    expect(await db('invoice_register').where({ case_id: 'invoice-timeout-2' }).first()).toMatchObject({
      outcome: 'rejected',
      posted: false,
    });
  });
});
