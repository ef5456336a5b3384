// An invoice nobody approves, on the time-skipping test server: it is escalated, then held in the
// manual queue; no timer ever approves money, and a person can still decide it days later.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeDocument } from '../db/invoices';
import { insertPurchaseOrder } from '../db/reference';
import { seedDemoReference } from '../db/seed-reference';
import { DEFAULT_INVOICE_POLICY } from '../domain/invoice/policy';
import { DEFAULT_THRESHOLDS } from '../domain/routing';
import { checkInvoicePdf } from '../extraction/pdf-intake';
import type { invoiceWorkflow } from '../workflows/invoice';
import { getCaseQuery } from '../workflows/messages';
import { eventually } from './support/eventually';
import { startTimeSkipping, type TimeSkippingStack } from './support/time-skipping';
import { acmeInvoice, invoicePdf } from './support/invoices';

const HOUR = 3600_000;
let stack: TimeSkippingStack;
let env: TestWorkflowEnvironment;
let db: Knex;
let taskQueue: string;

beforeAll(async () => {
  stack = await startTimeSkipping('invoice_timeouts', async (fresh) => {
    await seedDemoReference(fresh);
    await insertPurchaseOrder(fresh, {
      poNumber: 'PO-TS1',
      vendorId: 'V-ACME',
      currency: 'EUR',
      issuedOn: '2026-10-01',
      lines: [{ lineNo: 1, description: 'Laptop stand', quantity: 100, unitPrice: 45_00 }],
    });
  });
  ({ env, db, taskQueue } = stack);
});
afterAll(() => stack?.stop());

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
