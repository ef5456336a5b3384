// Invoices end to end through the API and the real stack: a clean invoice from a known vendor
// with a matching PO is approved by the agent and posted; every risky one waits for the right
// people; the audit trail holds the explanation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoReference } from '../db/seed-reference';
import type { DecisionRecord } from '../domain/case';
import type { InvoiceAssessment } from '../domain/invoice/types';
import { acmeInvoice, invoicePdf, postInvoice } from './support/invoices';
import { KEYS, startTestStack, type TestStack } from './support/stack';

let s: TestStack;
beforeAll(async () => {
  s = await startTestStack(__filename);
  await seedDemoReference(s.deps.db);
});
afterAll(() => s?.stop());

let poSeq = 0;
/** A PO of Acme's of its own for each test: approvals consume what is left on it. */
async function acmePo(lines = [{ lineNo: 1, description: 'Laptop stand', quantity: 10, unitPrice: 45 }]) {
  const poNumber = `PO-T${++poSeq}`;
  const created = await s.http('POST', '/v1/purchase-orders', {
    key: KEYS.ops,
    body: { poNumber, vendorId: 'V-ACME', currency: 'EUR', issuedOn: '2026-10-01', lines },
  });
  expect(created.status).toBe(201);
  return poNumber;
}

const result = (caseId: string) =>
  s.deps.client.workflow.getHandle(caseId).result() as Promise<DecisionRecord<InvoiceAssessment>>;

describe.sequential('invoices', () => {
  it('approves a clean invoice from a known vendor alone, records why, and posts it once', async () => {
    const poNumber = await acmePo();
    const bytes = await invoicePdf(acmeInvoice(poNumber));
    const started = await postInvoice(s.api.url, bytes, { vendorId: 'V-ACME', submittedBy: 'paula' });
    expect(started).toMatchObject({ status: 202, body: { caseId: expect.stringMatching(/^invoice-/) } });
    const decision = await result(started.body.caseId);
    expect(decision).toMatchObject({
      outcome: 'auto_decided',
      route: 'auto',
      routeReason: 'clean_invoice',
      finalCategory: 'pay',
    });
    expect(decision.suggestion).toMatchObject({
      category: 'pay',
      match: { status: 'matched', kind: 'two_way', poNumber },
      fraud: { gated: false },
      invoice: { total: 90_00, lines: [{ description: 'Laptop stand', quantity: 2, unitPrice: 45_00 }] },
    });

    const view = (await s.http('GET', `/v1/cases/${started.body.caseId}`, { key: KEYS.auditor })).body;
    expect(view).toMatchObject({
      kind: 'invoice',
      status: 'decided',
      category: 'pay',
      decision: { outcome: 'auto_decided' },
    });
    expect(view.suggestion.fields.total).toMatchObject({
      value: 90,
      confidence: expect.any(Number),
      evidence: expect.any(String),
    });
    const recorded = await s.deps.db('decisions').where({ case_id: started.body.caseId }).first();
    expect(recorded.record.suggestion.match.explanation).toEqual([`all 1 lines match ${poNumber}`]);

    // Posted: the PO line has two fewer to invoice, the vendor one more paid invoice.
    const po = (await s.http('GET', `/v1/purchase-orders/${poNumber}`, { key: KEYS.auditor })).body;
    expect(po.lines[0].invoicedQuantity).toBe(2);

    const document = await fetch(`${s.api.url}/v1/cases/${started.body.caseId}/document`, {
      headers: { authorization: `Bearer ${KEYS.reviewer}` },
    });
    expect(document.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await document.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
  });
});
