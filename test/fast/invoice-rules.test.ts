// The invoice path's pure rules: payment fields read off the page text, matching to a purchase
// order and its receipts, fraud signals and their gates, who must approve, and when the agent may
// approve alone.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_APPROVAL_POLICY,
  approvalLimits,
  approverRefusal,
  autoApproval,
  requiredApprovers,
} from '../../domain/invoice/approval';
import { assessFraud, type FraudInput } from '../../domain/invoice/fraud';
import { matchInvoice, type InvoiceLine } from '../../domain/invoice/po-matching';
import { paymentFieldsFromText } from '../../extraction/payment-fields';
import type { PurchaseOrder, Vendor } from '../../domain/invoice/reference';

const po: PurchaseOrder = {
  poNumber: 'PO-1001',
  vendorId: 'V-1',
  currency: 'EUR',
  issuedOn: '2026-10-01',
  lines: [
    { lineNo: 1, description: 'Laptop stand', quantity: 10, unitPrice: 45_00, invoicedQuantity: 0 },
    { lineNo: 2, description: 'USB-C dock', quantity: 5, unitPrice: 120_00, invoicedQuantity: 2 },
  ],
};
const lines: InvoiceLine[] = [
  { description: 'Laptop stand', quantity: 10, unitPrice: 45_00 },
  { poLineNo: 2, description: 'Dock', quantity: 3, unitPrice: 120_00 },
];
const match = (overrides: Partial<Parameters<typeof matchInvoice>[0]> = {}) =>
  matchInvoice({ poNumber: 'PO-1001', vendorId: 'V-1', currency: 'EUR', lines, po, receipts: [], ...overrides });

describe('PO matching', () => {
  it('matches line by line, two-way without receipts', () => {
    expect(match()).toMatchObject({ status: 'matched', kind: 'two_way', partial: false });
  });
  it('a price within tolerance matches; beyond it the line says by how much', () => {
    expect(match({ lines: [{ ...lines[0], unitPrice: 45_50 }, lines[1]] }).status).toBe('matched'); // +0.50 of 45.00: 1.1%
    const off = match({ lines: [{ ...lines[0], unitPrice: 48_00 }, lines[1]] });
    expect(off.status).toBe('mismatch');
    expect(off.lines[0]).toMatchObject({ problems: ['price'], priceDifference: 3_00, poLineNo: 1 });
    expect(off.explanation[0]).toMatch(/line 1: unit price 4800 against 4500 on PO line 1 \(\+300\)/);
  });
  it('bills no more than remains on the PO; less is partial invoicing', () => {
    const over = match({ lines: [lines[0], { ...lines[1], quantity: 4 }] });
    expect(over.lines[1]).toMatchObject({ problems: ['over_remaining'], overRemaining: 1 });
    expect(match({ lines: [{ ...lines[0], quantity: 4 }] })).toMatchObject({ status: 'matched', partial: true });
  });
  it('three-way: no more than was received', () => {
    const receipts = [
      { poNumber: 'PO-1001', lineNo: 1, quantity: 6, receivedOn: '2026-10-10' },
      { poNumber: 'PO-1001', lineNo: 2, quantity: 5, receivedOn: '2026-10-10' },
    ];
    const result = match({ receipts });
    expect(result).toMatchObject({ status: 'mismatch', kind: 'three_way' });
    expect(result.lines[0]).toMatchObject({ problems: ['over_received'], overReceived: 4 });
    expect(result.lines[1].problems).toEqual([]);
  });
  it("no PO, an unknown PO, another vendor's PO, another currency, a line the PO lacks", () => {
    expect(match({ poNumber: null }).status).toBe('no_po');
    expect(match({ po: null }).status).toBe('po_not_found');
    expect(match({ vendorId: 'V-2' }).status).toBe('wrong_vendor');
    expect(match({ currency: 'USD' }).status).toBe('wrong_currency');
    const extra = match({ lines: [...lines, { description: 'Gold-plated cable', quantity: 1, unitPrice: 999_00 }] });
    expect(extra.lines[2]).toMatchObject({ problems: ['no_po_line'], poLineNo: null });
  });
});

const vendor: Vendor = {
  vendorId: 'V-1',
  name: 'Acme Office Supply GmbH',
  taxId: 'DE123456789',
  status: 'active',
  addresses: ['Hauptstr. 1, 10115 Berlin'],
  bankAccounts: [{ iban: 'DE89 3704 0044 0532 0130 00', since: '2024-01-01' }],
  firstSeen: '2024-01-01',
  invoicesPaid: 12,
  paymentTerms: 'Net 30',
};
const clean: FraudInput = {
  invoice: {
    vendorId: 'V-1',
    invoiceNumber: 'INV-2026-118',
    issueDate: '2026-10-15',
    total: 810_00,
    iban: 'DE89370400440532013000',
    remitTo: 'Hauptstr. 1, 10115 Berlin',
    paymentTerms: 'Net 30',
    text: 'Invoice INV-2026-118. Payment within 30 days.',
  },
  vendor,
  otherVendorAddresses: [{ vendorId: 'V-9', address: 'Schattenweg 13, 20095 Hamburg' }],
  priorInvoices: [{ invoiceNumber: 'INV-2026-101', total: 455_00, issueDate: '2026-09-15' }],
  poIssuedOn: '2026-10-01',
  approvalLimits: approvalLimits(DEFAULT_APPROVAL_POLICY),
};
const withInvoice = (changes: Partial<FraudInput['invoice']>, rest: Partial<FraudInput> = {}): FraudInput => ({
  ...clean,
  ...rest,
  invoice: { ...clean.invoice, ...changes },
});

describe('fraud signals', () => {
  it('a clean invoice from a known vendor raises nothing', () => {
    expect(assessFraud(clean)).toEqual({ score: 0, signals: [], gated: false });
  });
  it.each([
    ['vendor_unknown', withInvoice({}, { vendor: null }), true],
    ['vendor_new', withInvoice({}, { vendor: { ...vendor, invoicesPaid: 0 } }), true],
    ['vendor_blocked', withInvoice({}, { vendor: { ...vendor, status: 'blocked' } }), true],
    ['bank_details_changed', withInvoice({ iban: 'GB33 BUKB 2020 1555 5555 55' }), true],
    ['duplicate_invoice', withInvoice({ invoiceNumber: 'inv-2026-101' }), true],
    ['duplicate_amount', withInvoice({ total: 455_00 }), false],
    ['shared_address', withInvoice({ remitTo: 'Schattenweg 13 - 20095 Hamburg' }), false],
    ['unusual_payment_terms', withInvoice({ paymentTerms: 'Prepayment by wire' }), false],
    ['urgency_language', withInvoice({ text: 'FINAL NOTICE: pay today to avoid suspension' }), false],
    ['just_under_limit', withInvoice({ total: 995_00 }), false],
    ['dated_before_po', withInvoice({ issueDate: '2026-09-20' }), false],
    ['round_amount', withInvoice({ total: 5_000_00 }), false],
  ] as const)('%s alone', (name, input, gate) => {
    const { signals, gated } = assessFraud(input);
    expect(signals.map((signal) => signal.name)).toEqual([name]);
    expect(gated).toBe(gate);
    expect(signals[0].detail.length).toBeGreaterThan(10);
  });
  it('soft signals add up without reaching certainty; a gate is certain on its own', () => {
    const soft = assessFraud(
      withInvoice({ paymentTerms: 'Net 0', text: 'urgent', remitTo: 'Schattenweg 13, 20095 Hamburg' }),
    );
    expect(soft.gated).toBe(false);
    expect(soft.score).toBeCloseTo(1 - (1 - 0.35) * (1 - 0.3) * (1 - 0.5), 4);
    expect(assessFraud(withInvoice({}, { vendor: null })).score).toBe(1);
  });
});

describe('approvals', () => {
  const policy = DEFAULT_APPROVAL_POLICY;
  it('bands by amount and risk, four eyes at the top or for a risky vendor mid-range', () => {
    expect(requiredApprovers(5_000_00, 'high', policy).count).toBe(1);
    expect(requiredApprovers(20_000_00, 'low', policy).count).toBe(1);
    expect(requiredApprovers(20_000_00, 'high', policy).count).toBe(2);
    expect(requiredApprovers(80_000_00, 'low', policy)).toMatchObject({
      count: 2,
      reason: expect.stringMatching(/four eyes/),
    });
  });
  it('separation of duties: never the submitter, never the same person twice', () => {
    expect(approverRefusal('Bob', 'bob', [])).toMatch(/submitter/);
    expect(approverRefusal('alice', 'bob', ['Alice'])).toMatch(/someone else/);
    expect(approverRefusal('carol', 'bob', ['alice'])).toBeNull();
  });
  it('the agent approves alone only a clean, matched invoice under the limit in a mode that allows it', () => {
    const input = {
      mode: 'normal' as const,
      total: 810_00,
      fraud: assessFraud(clean),
      match: match(),
      extractionProblems: [],
    };
    expect(autoApproval(input, policy)).toEqual({ allowed: true, reasons: [] });
    expect(autoApproval({ ...input, mode: 'human_routing' }, policy).allowed).toBe(false);
    expect(autoApproval({ ...input, mode: 'reduced' }, policy).reasons).toEqual([
      expect.stringMatching(/above the auto-approval limit 50000/),
    ]);
    expect(autoApproval({ ...input, total: 1_200_00 }, policy).allowed).toBe(false);
    expect(autoApproval({ ...input, match: match({ poNumber: null }) }, policy).allowed).toBe(false);
    expect(autoApproval({ ...input, extractionProblems: ['total: confidence 0.6 below 0.9'] }, policy).allowed).toBe(
      false,
    );
  });
  it('a new vendor with urgent language is never approved alone, whatever else is true', () => {
    const fraud = assessFraud(
      withInvoice({ text: 'URGENT: wire immediately' }, { vendor: { ...vendor, invoicesPaid: 0 } }),
    );
    const verdict = autoApproval(
      { mode: 'normal', total: 10_00, fraud, match: match(), extractionProblems: [] },
      policy,
    );
    expect(verdict.allowed).toBe(false);
    expect(verdict.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/fraud gate: first invoice/)]));
  });
});

describe('payment fields from page text', () => {
  it('an English invoice', () => {
    const fields = paymentFieldsFromText(
      [
        'Invoice INV-2026-118',
        'PO Number: PO-1001',
        'Payment terms: Net 30',
        'Due date: 14/11/2026',
        'IBAN: DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX',
        'Remit to: Hauptstr. 1, 10115 Berlin',
      ].join('\n'),
    );
    expect(fields).toMatchObject({
      iban: { value: 'DE89370400440532013000', confidence: 0.9 },
      poNumber: { value: 'PO-1001' },
      paymentTerms: { value: 'Net 30', confidence: 0.9 },
      dueDate: { value: '2026-11-14' },
      remitTo: { value: 'Hauptstr. 1, 10115 Berlin' },
    });
  });
  it('German and French labels', () => {
    expect(
      paymentFieldsFromText('Bestellnummer: 4500012345\nZahlbar innerhalb von 14 Tagen\nFällig am 01.12.2026'),
    ).toMatchObject({
      poNumber: { value: '4500012345' },
      paymentTerms: { value: 'Zahlbar innerhalb von 14 Tagen' },
      dueDate: { value: '2026-12-01' },
    });
    expect(paymentFieldsFromText('Bon de commande : BC-2026-77\nÉchéance : 15/12/2026')).toMatchObject({
      poNumber: { value: 'BC-2026-77' },
      dueDate: { value: '2026-12-15' },
    });
  });
  it('never offers an IBAN whose check digits fail; an unlabelled valid one is only medium', () => {
    expect(paymentFieldsFromText('IBAN: DE89 3704 0044 0532 0130 01').iban).toBeUndefined();
    expect(paymentFieldsFromText('Pay to GB33BUKB20201555555555 by Friday').iban).toMatchObject({ confidence: 0.7 });
  });
  it('unusual terms are read as written, for the fraud checks to judge', () => {
    expect(paymentFieldsFromText('URGENT: immediate wire required').paymentTerms?.value).toBe('immediate wire');
    expect(paymentFieldsFromText('Nothing about money here')).toEqual({});
  });
});
