// Invoices end to end through the API and the real stack: a clean invoice from a known vendor
// with a matching PO is approved by the agent and posted; every risky one waits for the right
// people; the audit trail holds the explanation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoReference } from '../db/seed-reference';
import type { DecisionRecord } from '../domain/case';
import type { InvoiceAssessment } from '../domain/invoice/types';
import { INVOICE_AUDIT_SCHEDULE_ID } from '../infra/invoice-audit-schedule';
import { eventually } from './support/eventually';
import { acmeInvoice, invoicePdf, postInvoice, scannedPdf } from './support/invoices';
import { HOLDER, KEYS, startTestStack, type TestStack } from './support/stack';

let s: TestStack;
beforeAll(async () => {
  // Every automatic approval is drawn when the audit runs: the test below counts on it.
  s = await startTestStack(__filename, { INVOICE_AUDIT_RATE: '1' });
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
    const invoice = acmeInvoice(poNumber);
    const bytes = await invoicePdf(invoice);
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
      match: { status: 'matched', kind: 'two_way', poNumber, partial: true },
      fraud: { gated: false, signals: [] },
      invoice: { total: 2 * invoice.lines[0].unitPrice, lines: [{ description: 'Laptop stand', quantity: 2 }] },
      approvers: { count: 1 },
    });

    const view = (await s.http('GET', `/v1/cases/${started.body.caseId}`, { key: KEYS.auditor })).body;
    expect(view).toMatchObject({
      kind: 'invoice',
      status: 'decided',
      category: 'pay',
      decision: { outcome: 'auto_decided' },
    });
    expect(view.suggestion.fields.total).toMatchObject({
      value: (2 * invoice.lines[0].unitPrice) / 100,
      confidence: expect.any(Number),
      evidence: expect.any(String),
    });
    expect(view.suggestion.explanation).toEqual(
      expect.arrayContaining([`purchase order: all 1 lines match ${poNumber}`, 'fraud score 0: no signal']),
    );
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

  it('one case per external id and per document; every bad file refused with nothing stored', async () => {
    const poNumber = await acmePo();
    const bytes = await invoicePdf(acmeInvoice(poNumber));
    const form = { externalId: 'inv-same', vendorId: 'V-ACME', poNumber };
    const first = await postInvoice(s.api.url, bytes, form);
    expect(first.status).toBe(202);
    expect(await postInvoice(s.api.url, bytes, form)).toMatchObject({
      status: 200,
      body: { caseId: first.body.caseId },
    });
    // The same bytes from the same vendor under another external id: the first case, flagged.
    const again = await postInvoice(s.api.url, bytes, { ...form, externalId: 'inv-same-again' });
    expect(again).toMatchObject({ status: 200, body: { caseId: first.body.caseId, duplicateSubmission: true } });
    // The same external id with another document: refused, nothing replaced.
    const other = await postInvoice(s.api.url, await invoicePdf(acmeInvoice(poNumber)), form);
    expect(other).toMatchObject({ status: 409, body: { error: { code: 'idempotency_conflict' } } });
    await result(first.body.caseId);
    const view = (await s.http('GET', `/v1/cases/${first.body.caseId}`, { key: KEYS.auditor })).body;
    expect(view.duplicateSubmissions).toBe(1);
    expect(await s.deps.db('cases').where({ external_id: 'inv-same-again' })).toHaveLength(0);

    const before = await counts();
    const pdf = bytes;
    const refusals: [string, Promise<{ status: number; body: any }>, number, string][] = [
      ['an empty file', postInvoice(s.api.url, new Uint8Array(0)), 400, 'empty_file'],
      ['text named .pdf', postInvoice(s.api.url, new TextEncoder().encode('Invoice 42: 10 EUR')), 415, 'not_a_pdf'],
      [
        'an encrypted PDF',
        postInvoice(s.api.url, Buffer.concat([Buffer.from(pdf), Buffer.from('trailer << /Encrypt 9 0 R >>')])),
        422,
        'encrypted_pdf',
      ],
      [
        'a broken PDF',
        postInvoice(s.api.url, new TextEncoder().encode('%PDF-1.7\n1 0 obj << broken')),
        422,
        'unreadable_pdf',
      ],
      ['no file', postInvoice(s.api.url, null), 400, 'invalid_request'],
      [
        'a file over the limit',
        postInvoice(s.api.url, Buffer.concat([Buffer.from(pdf), Buffer.alloc(s.config.invoiceMaxBytes)])),
        413,
        'file_too_large',
      ],
      ['a bad external id', postInvoice(s.api.url, pdf, { externalId: 'no spaces allowed' }), 400, 'invalid_request'],
      ['a reviewer key', postInvoice(s.api.url, pdf, {}, KEYS.reviewer), 403, 'forbidden'],
    ];
    for (const [what, response, status, code] of refusals) {
      const { status: got, body } = await response;
      expect({ what, got, code: body?.error?.code }).toEqual({ what, got: status, code });
      expect(body.error.message, what).toEqual(expect.any(String));
    }
    const json = await s.http('POST', '/v1/invoices', { body: { externalId: 'x' } });
    expect(json).toMatchObject({ status: 415, body: { error: { code: 'unsupported_media_type' } } });
    expect(await counts()).toEqual(before);
  });

  it('each fraud signal alone is found, with its weight, and sends the invoice to people', async () => {
    const poNumber = await acmePo();
    const nord = 'Elbchaussee 5, 22763 Hamburg, DE';
    // Registered first, so that the next two find it.
    const earlier = acmeInvoice(poNumber);
    await result((await postInvoice(s.api.url, await invoicePdf(earlier), { vendorId: 'V-ACME' })).body.caseId);
    const scenarios: [string, { vendorId: string; invoice: ReturnType<typeof acmeInvoice> }][] = [
      // Without Acme's address: an unknown vendor remitting to a known one's is a second signal.
      ['vendor_unknown', { vendorId: 'V-NOBODY', invoice: acmeInvoice(poNumber, { remitTo: '' }) }],
      [
        'vendor_new',
        {
          vendorId: 'V-FRESH',
          invoice: acmeInvoice(poNumber, {
            vendorName: 'Fresh Start Consulting Ltd',
            iban: 'GB33BUKB20201555555555',
            remitTo: '1 New Street, London EC1A 1AA, GB',
          }),
        },
      ],
      [
        'vendor_blocked',
        { vendorId: 'V-BLOCKED', invoice: acmeInvoice(poNumber, { iban: 'FR1420041010050500013M02606', remitTo: '' }) },
      ],
      [
        'bank_details_changed',
        { vendorId: 'V-ACME', invoice: acmeInvoice(poNumber, { iban: 'GB94BARC10201530093459' }) },
      ],
      [
        'duplicate_invoice',
        { vendorId: 'V-ACME', invoice: acmeInvoice(poNumber, { invoiceNumber: earlier.invoiceNumber }) },
      ],
      ['duplicate_amount', { vendorId: 'V-ACME', invoice: { ...acmeInvoice(poNumber), lines: earlier.lines } }],
      ['shared_address', { vendorId: 'V-ACME', invoice: acmeInvoice(poNumber, { remitTo: nord }) }],
      ['unusual_payment_terms', { vendorId: 'V-ACME', invoice: acmeInvoice(poNumber, { paymentTerms: 'Prepayment' }) }],
      ['urgency_language', { vendorId: 'V-ACME', invoice: acmeInvoice(poNumber, { note: 'Please pay ASAP.' }) }],
      [
        'just_under_limit',
        {
          vendorId: 'V-ACME',
          invoice: acmeInvoice(poNumber, { lines: [{ description: 'Laptop stand', quantity: 1, unitPrice: 990_00 }] }),
        },
      ],
      ['dated_before_po', { vendorId: 'V-ACME', invoice: acmeInvoice(poNumber, { issueDate: '2026-09-20' }) }],
      [
        'round_amount',
        {
          vendorId: 'V-ACME',
          invoice: acmeInvoice(poNumber, { lines: [{ description: 'Laptop stand', quantity: 2, unitPrice: 1000_00 }] }),
        },
      ],
    ];
    const started = await Promise.all(
      scenarios.map(async ([signal, { vendorId, invoice }]) => {
        const posted = await postInvoice(s.api.url, await invoicePdf(invoice), { vendorId });
        expect(posted.status, signal).toBe(202);
        return [signal, posted.body.caseId as string] as const;
      }),
    );
    for (const [signal, caseId] of started) {
      const state = await s.waitForCase(caseId, (c) => c.route !== null, 'routed');
      const assessment = state.suggestion as InvoiceAssessment;
      expect({ signal, found: assessment.fraud.signals.map((found) => found.name) }).toEqual({
        signal,
        found: [signal],
      });
      expect(assessment.fraud.signals[0].weight).toBeGreaterThan(0);
      // Round amounts alone weigh little: the PO mismatch is what holds that one.
      expect({ signal, route: state.route }).toEqual({ signal, route: 'assisted' });
      if (signal === 'vendor_unknown' || signal === 'vendor_new') expect(state.routeReason).toBe('new_vendor');
      else if (signal !== 'round_amount')
        expect({ signal, reason: state.routeReason }).toEqual({ signal, reason: 'fraud_signal' });
    }
  });

  it('matches two-way and three-way by line, and says which line fails and by how much', async () => {
    const received = await acmePo();
    await s.http('POST', `/v1/purchase-orders/${received}/receipts`, {
      key: KEYS.ops,
      body: { lineNo: 1, quantity: 3, receivedOn: '2026-10-10' },
    });
    const plain = await acmePo();
    const line = (quantity: number, unitPrice = 45_10) => [{ description: 'Laptop stand', quantity, unitPrice }];
    const scenarios: [string, ReturnType<typeof acmeInvoice>, Record<string, unknown>][] = [
      [
        'three-way within receipts',
        acmeInvoice(received, { lines: line(3) }),
        { status: 'matched', kind: 'three_way' },
      ],
      [
        'more than received',
        acmeInvoice(received, { lines: line(4, 45_20) }),
        { status: 'mismatch', kind: 'three_way', lines: [{ problems: ['over_received'], overReceived: 1 }] },
      ],
      [
        'price over tolerance',
        acmeInvoice(plain, { lines: line(1, 50_00) }),
        { status: 'mismatch', lines: [{ problems: ['price'], priceDifference: 5_00 }] },
      ],
      [
        'over what remains',
        acmeInvoice(plain, { lines: line(11, 45_30) }),
        { status: 'mismatch', lines: [{ problems: ['over_remaining'], overRemaining: 1 }] },
      ],
      ['no PO', acmeInvoice('', { lines: line(1, 45_40) }), { status: 'no_po' }],
      ['unknown PO', acmeInvoice('PO-9999', { lines: line(1, 45_50) }), { status: 'po_not_found' }],
      ["another vendor's PO", acmeInvoice('PO-2001', { lines: line(1, 45_60) }), { status: 'wrong_vendor' }],
    ];
    const started = await Promise.all(
      scenarios.map(async ([what, invoice]) => {
        const posted = await postInvoice(s.api.url, await invoicePdf(invoice), { vendorId: 'V-ACME' });
        expect(posted.status, what).toBe(202);
        return posted.body.caseId as string;
      }),
    );
    for (const [index, [what, , expected]] of scenarios.entries()) {
      const state = await s.waitForCase(started[index], (c) => c.route !== null, 'routed');
      const assessment = state.suggestion as InvoiceAssessment;
      expect(assessment.match, what).toMatchObject(expected);
      expect(assessment.match.explanation.length, what).toBeGreaterThan(0);
      if (expected.status === 'matched') expect(state.route, what).toBe('auto');
      else expect({ what, reason: state.routeReason }).toEqual({ what, reason: 'po_mismatch' });
    }
  });

  it('routes by amount and vendor risk to one approver or four eyes, under separation of duties', async () => {
    const bigPo = await acmePo([{ lineNo: 1, description: 'Server rack', quantity: 1, unitPrice: 60_000 }]);
    const midPo = await acmePo([{ lineNo: 1, description: 'Laptop stand', quantity: 100, unitPrice: 120 }]);
    const review = (caseId: string, key: string, body: Record<string, unknown>) =>
      s.http('POST', `/v1/cases/${caseId}/review`, { key, body });

    // Over the auto-approval limit, low risk: one approver.
    const one = await postInvoice(
      s.api.url,
      await invoicePdf(
        acmeInvoice(midPo, { lines: [{ description: 'Laptop stand', quantity: 10, unitPrice: 120_00 }] }),
      ),
      { vendorId: 'V-ACME', submittedBy: HOLDER.reviewer2 },
    );
    let state = await s.waitForCase(one.body.caseId, (c) => c.status === 'awaiting_review', 'awaiting review');
    expect(state).toMatchObject({ route: 'assisted', routeReason: 'approval_required' });
    expect((state.suggestion as InvoiceAssessment).approvers.count).toBe(1);
    const correct = await review(one.body.caseId, KEYS.reviewer, { decision: 'correct', category: 'pay' });
    expect(correct).toMatchObject({ status: 400, body: { error: { field: 'decision' } } });
    const submitter = await review(one.body.caseId, KEYS.reviewer2, { decision: 'approve' });
    expect(submitter).toMatchObject({ status: 403, body: { error: { code: 'separation_of_duties' } } });
    const approved = await review(one.body.caseId, KEYS.reviewer, { decision: 'approve', comment: 'checked' });
    expect(approved).toMatchObject({
      status: 200,
      body: { status: 'decided', category: 'pay', decision: { outcome: 'approved', reviewer: HOLDER.reviewer } },
    });
    expect((await result(one.body.caseId)).approvals).toMatchObject([{ reviewer: HOLDER.reviewer, via: 'update' }]);

    // Above the four-eyes limit: two different people, neither of them the submitter.
    const big = await postInvoice(
      s.api.url,
      await invoicePdf(
        acmeInvoice(bigPo, { lines: [{ description: 'Server rack', quantity: 1, unitPrice: 60_000_00 }] }),
      ),
      { vendorId: 'V-ACME', submittedBy: HOLDER.reviewer2 },
    );
    state = await s.waitForCase(big.body.caseId, (c) => c.status === 'awaiting_review', 'awaiting review');
    expect((state.suggestion as InvoiceAssessment).approvers).toMatchObject({ count: 2 });
    const first = await review(big.body.caseId, KEYS.reviewer, { decision: 'approve' });
    expect(first).toMatchObject({
      status: 200,
      body: { status: 'awaiting_review', decision: null, invoice: { approvals: [{ reviewer: HOLDER.reviewer }] } },
    });
    // The same request again is a retry, applied once; a new approval from the same person is refused.
    const retried = await review(big.body.caseId, KEYS.reviewer, { decision: 'approve' });
    expect(retried).toMatchObject({ status: 200, body: { invoice: { approvals: [{ reviewer: HOLDER.reviewer }] } } });
    const twice = await review(big.body.caseId, KEYS.reviewer, { decision: 'approve', comment: 'me again' });
    expect(twice).toMatchObject({ status: 403, body: { error: { code: 'separation_of_duties' } } });
    expect((await review(big.body.caseId, KEYS.reviewer2, { decision: 'approve' })).status).toBe(403);
    const second = await review(big.body.caseId, KEYS.reviewerOps, { decision: 'approve' });
    expect(second).toMatchObject({ status: 200, body: { status: 'decided', decision: { outcome: 'approved' } } });
    expect((await result(big.body.caseId)).approvals!.map((approval) => approval.reviewer)).toEqual([
      HOLDER.reviewer,
      HOLDER.reviewerOps,
    ]);
    const po = (await s.http('GET', `/v1/purchase-orders/${bigPo}`, { key: KEYS.auditor })).body;
    expect(po.lines[0].invoicedQuantity).toBe(1);

    // High vendor risk lowers the four-eyes limit; a rejection and a request for changes post nothing.
    const risky = await postInvoice(
      s.api.url,
      await invoicePdf(
        acmeInvoice(midPo, {
          lines: [{ description: 'Laptop stand', quantity: 100, unitPrice: 120_10 }],
          note: 'Urgent: please pay ASAP.',
        }),
      ),
      { vendorId: 'V-ACME' },
    );
    state = await s.waitForCase(risky.body.caseId, (c) => c.status === 'awaiting_review', 'awaiting review');
    expect((state.suggestion as InvoiceAssessment).approvers.count).toBe(2);
    const rejected = await review(risky.body.caseId, KEYS.reviewer, { decision: 'reject', comment: 'not ordered' });
    expect(rejected).toMatchObject({ status: 200, body: { category: null, decision: { outcome: 'rejected' } } });

    const sentBack = await postInvoice(
      s.api.url,
      await invoicePdf(
        acmeInvoice(midPo, { lines: [{ description: 'Laptop stand', quantity: 9, unitPrice: 120_20 }] }),
      ),
      { vendorId: 'V-ACME' },
    );
    await s.waitForCase(sentBack.body.caseId, (c) => c.status === 'awaiting_review', 'awaiting review');
    const changes = await review(sentBack.body.caseId, KEYS.reviewer, {
      decision: 'request_changes',
      comment: 'PO line missing',
    });
    expect(changes).toMatchObject({ status: 200, body: { decision: { outcome: 'changes_requested' } } });
    const midAfter = (await s.http('GET', `/v1/purchase-orders/${midPo}`, { key: KEYS.auditor })).body;
    expect(midAfter.lines[0].invoicedQuantity).toBe(10); // the one approved invoice only
    const register = await s.deps.db('invoice_register').whereIn('case_id', [risky.body.caseId, sentBack.body.caseId]);
    expect(register.map((row) => [row.outcome, row.posted]).sort()).toEqual([
      ['changes_requested', false],
      ['rejected', false],
    ]);
  });

  it('a scan without a text layer waits in the manual queue for a person to read it', async () => {
    const posted = await postInvoice(s.api.url, await scannedPdf(), { vendorId: 'V-ACME' });
    expect(posted.status).toBe(202);
    const state = await s.waitForCase(posted.body.caseId, (c) => c.status === 'manual', 'in the manual queue');
    expect(state).toMatchObject({ route: 'manual', routeReason: 'no_text_layer' });
    const approved = await s.http('POST', `/v1/cases/${posted.body.caseId}/review`, {
      key: KEYS.reviewer,
      body: { decision: 'approve', comment: 'read it myself' },
    });
    // Nothing could be read: four eyes, whatever the amount turns out to be.
    expect(approved).toMatchObject({ status: 200, body: { status: 'manual', invoice: { approvals: [{}] } } });
  });

  it('is searchable by kind, vendor, amount and fraud score in Temporal', async () => {
    const found = await eventually(
      async () => {
        const ids: string[] = [];
        for await (const workflow of s.deps.client.workflow.list({
          query: `CaseKind = 'invoice' AND CaseVendor = 'V-ACME' AND CaseFraudScore >= 0.3 AND CaseAmount > 0`,
        }))
          ids.push(workflow.workflowId);
        return ids;
      },
      (ids) => ids.length >= 5,
      'risky Acme invoices listed',
    );
    expect(found.length).toBeGreaterThanOrEqual(5);
  });

  it('holds a clean invoice for people in human_routing, and approves it alone again in normal', async () => {
    const setMode = (mode: string) =>
      s.http('POST', '/v1/governor/mode', { key: KEYS.ops, body: { mode, reason: 'invoice test' } });
    const poNumber = await acmePo();
    expect((await setMode('human_routing')).status).toBe(200);
    const held = await postInvoice(s.api.url, await invoicePdf(acmeInvoice(poNumber)), { vendorId: 'V-ACME' });
    const state = await s.waitForCase(held.body.caseId, (c) => c.route !== null, 'routed');
    expect(state).toMatchObject({ route: 'assisted', routeReason: 'mode_human_routing', mode: 'human_routing' });
    expect((await setMode('normal')).status).toBe(200);
    // It stays with people (a reviewer may be on it); the next one is the agent's again.
    expect((await s.caseState(held.body.caseId)).routeReason).toBe('kept_for_review');
    const alone = await postInvoice(s.api.url, await invoicePdf(acmeInvoice(poNumber)), { vendorId: 'V-ACME' });
    expect(await result(alone.body.caseId)).toMatchObject({ outcome: 'auto_decided', mode: 'normal' });
  });

  it('the audit Schedule draws what the agent approved alone into the audit queue; a finding is an outcome', async () => {
    const schedule = s.deps.client.schedule.getHandle(INVOICE_AUDIT_SCHEDULE_ID);
    const described = await schedule.describe();
    expect(described.spec.intervals).toMatchObject([{ every: 7 * 24 * 3600_000 }]);
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'invoiceAuditWorkflow' });

    const approvedAlone = (await s.deps.db('cases').where({ kind: 'invoice', outcome: 'auto_decided' })).map(
      (row) => row.case_id as string,
    );
    expect(approvedAlone.length).toBeGreaterThanOrEqual(3);
    await schedule.trigger();
    // This file's stack audits every one (INVOICE_AUDIT_RATE=1); the default is a tenth.
    await eventually(
      () => s.deps.db('cases').whereIn('case_id', approvedAlone).where({ status: 'audit' }),
      (rows) => rows.length === approvedAlone.length,
      'all drawn for the audit',
    );
    const [wrong, right] = approvedAlone;
    const finding = await s.http('POST', `/v1/cases/${wrong}/review`, {
      key: KEYS.reviewer,
      body: { decision: 'reject', comment: 'goods never arrived' },
    });
    expect(finding).toMatchObject({ status: 200, body: { status: 'decided', decision: { outcome: 'auto_decided' } } });
    await s.http('POST', `/v1/cases/${right}/review`, { key: KEYS.reviewer, body: { decision: 'approve' } });
    const outcomes = await s.deps.db('outcomes').whereIn('case_id', [wrong, right]).orderBy('case_id');
    expect(
      outcomes.map((row) => [row.case_id, row.source, row.kind, row.predicted_category, row.verdict]).sort(),
    ).toEqual(
      [
        [wrong, 'audit', 'invoice', 'pay', 'wrong'],
        [right, 'audit', 'invoice', 'pay', 'right'],
      ].sort(),
    );
  });
});

async function counts() {
  const [documents, cases, workflows] = await Promise.all([
    s.deps.db('invoice_documents').count({ n: '*' }).first(),
    s.deps.db('cases').count({ n: '*' }).first(),
    s.deps.client.workflow.count(`CaseKind = 'invoice'`),
  ]);
  return { documents: Number(documents!.n), cases: Number(cases!.n), workflows: workflows.count };
}
