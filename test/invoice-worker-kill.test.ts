// A worker process killed while it reads an invoice loses nothing: the extraction's heartbeats
// stop, Temporal gives it to the next worker, which reads the same stored PDF, and the invoice is
// decided, registered and posted exactly once.
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoReference } from '../db/seed-reference';
import { eventually } from './support/eventually';
import { acmeInvoice, longInvoicePdf, postInvoice } from './support/invoices';
import { KEYS, startTestStack, type TestStack } from './support/stack';
import { startWorkerProcess } from './support/worker-process';

let s: TestStack;
const children: ChildProcess[] = [];

beforeAll(async () => {
  s = await startTestStack(__filename);
  await seedDemoReference(s.deps.db);
  // From here on only the separate worker processes below serve the task queue.
  await s.worker.stop();
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await s?.stop();
});

describe('a worker dies while it reads an invoice', () => {
  it(
    'the next worker reads it again from the stored PDF; it is decided and posted once',
    { timeout: 120_000 },
    async () => {
      const po = await s.http('POST', '/v1/purchase-orders', {
        key: KEYS.ops,
        body: {
          poNumber: 'PO-7001',
          vendorId: 'V-ACME',
          currency: 'EUR',
          issuedOn: '2026-10-01',
          lines: [{ lineNo: 1, description: 'Laptop stand', quantity: 10, unitPrice: 45 }],
        },
      });
      expect(po.status).toBe(201);
      // Enough pages that reading them takes a while: the kill lands inside the extraction.
      const bytes = await longInvoicePdf(acmeInvoice('PO-7001'), 400);
      const first = await startWorkerProcess(s, children);
      const posted = await postInvoice(s.api.url, bytes, { vendorId: 'V-ACME' });
      expect(posted.status).toBe(202);
      const handle = s.deps.client.workflow.getHandle(posted.body.caseId);
      await eventually(
        async () => (await handle.describe()).raw.pendingActivities ?? [],
        (pending) =>
          pending.some((activity) => activity.activityType?.name === 'extractInvoice' && !!activity.lastStartedTime),
        'extraction started',
      );
      first.kill('SIGKILL');
      await once(first, 'exit');

      await startWorkerProcess(s, children);
      const decision = await handle.result();
      expect(decision).toMatchObject({ outcome: 'auto_decided', routeReason: 'clean_invoice' });

      const history = await handle.fetchHistory();
      const extractions = history.events!.filter(
        (event) => event.activityTaskStartedEventAttributes && event.activityTaskStartedEventAttributes.attempt! > 1,
      );
      expect(extractions.length).toBeGreaterThan(0); // it ran again, on the second worker
      expect(await s.deps.db('decisions').where({ case_id: posted.body.caseId })).toHaveLength(1);
      expect(await s.deps.db('invoice_register').where({ case_id: posted.body.caseId })).toHaveLength(1);
      const line = await s.deps.db('purchase_order_lines').where({ po_number: 'PO-7001', line_no: 1 }).first();
      expect(Number(line.invoiced_quantity)).toBe(2);
    },
  );
});
