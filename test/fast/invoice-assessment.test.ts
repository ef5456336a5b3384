// The invoice's assessment and route: the proposal from the findings, the route in each mode, and
// the property users fear most to see broken: nothing a hard fraud gate stopped (a new vendor
// above all) is ever approved alone, whatever else is true. Also the page-reading rules the
// assessment rests on: line items, subtotal and tax, reconciliation, and the policy file.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInvoicePolicy } from '../../config/invoice-policy';
import { MODES } from '../../domain/case';
import { assessInvoice, routeInvoice, unreadableAssessment } from '../../domain/invoice/assessment';
import { extractionProblems } from '../../domain/invoice/extraction-checks';
import type { FraudAssessment, FraudSignal, FraudSignalName } from '../../domain/invoice/fraud';
import { DEFAULT_INVOICE_POLICY } from '../../domain/invoice/policy';
import type { MatchResult } from '../../domain/invoice/po-matching';
import type { InvoiceFacts, ReadField } from '../../domain/invoice/types';
import { amountFieldsFromText } from '../../extraction/amount-fields';
import { lineItemsFromText } from '../../extraction/line-items';

const policy = DEFAULT_INVOICE_POLICY;
const read = (value: string | number, confidence = 0.9): ReadField => ({
  value,
  confidence,
  source: 'text',
  evidence: 'test',
});
const facts = (total: number): InvoiceFacts => ({
  vendorName: 'Acme',
  vendorTaxId: null,
  invoiceNumber: 'A-1',
  issueDate: '2026-11-02',
  dueDate: null,
  currency: 'EUR',
  subtotal: null,
  tax: null,
  total,
  poNumber: 'PO-1',
  iban: null,
  remitTo: null,
  paymentTerms: null,
  lines: [{ description: 'Desk', quantity: 1, unitPrice: total, amount: total }],
});
const matched: MatchResult = {
  status: 'matched',
  kind: 'two_way',
  poNumber: 'PO-1',
  lines: [],
  partial: false,
  explanation: ['ok'],
};
const clean: FraudAssessment = { score: 0, signals: [], gated: false };

function assess(total: number, overrides: { fraud?: FraudAssessment; match?: MatchResult; problems?: string[] } = {}) {
  return assessInvoice({
    extraction: {
      extractorVersion: 'test',
      facts: facts(total),
      fields: { total: read(total / 100), invoiceNumber: read('A-1'), issueDate: read('2026-11-02') },
      embedded: null,
      problems: overrides.problems ?? [],
    },
    vendorId: 'V-1',
    match: overrides.match ?? matched,
    fraud: overrides.fraud ?? clean,
    policy,
  });
}

const signal = (name: FraudSignalName, gate: boolean, weight = gate ? 1 : 0.3): FraudSignal => ({
  name,
  weight,
  gate,
  detail: name,
});

describe('the invoice assessment and its route', () => {
  it('a clean, matched invoice under the limit: pay, approved alone in normal and reduced (under half)', () => {
    const small = assess(400_00);
    expect(small).toMatchObject({ category: 'pay', confidence: 0.9, anomaly: false, approvers: { count: 1 } });
    expect(routeInvoice(small, 'normal', policy)).toMatchObject({ route: 'auto', reason: 'clean_invoice' });
    expect(routeInvoice(small, 'reduced', policy)).toMatchObject({ route: 'auto' });
    expect(routeInvoice(assess(800_00), 'reduced', policy)).toMatchObject({
      route: 'assisted',
      reason: 'approval_required',
    });
    expect(routeInvoice(small, 'safe', policy)).toMatchObject({ route: 'assisted', reason: 'mode_safe' });
    expect(routeInvoice(small, 'human_routing', policy)).toMatchObject({
      route: 'assisted',
      reason: 'mode_human_routing',
    });
    expect(routeInvoice(small, 'shutdown', policy)).toMatchObject({ route: 'manual', suggestionVisible: false });
  });

  it('each finding sends it to people, with the finding as the reason', () => {
    const gate = { score: 1, signals: [signal('bank_details_changed', true)], gated: true };
    expect(routeInvoice(assess(100_00, { fraud: gate }), 'normal', policy).reason).toBe('fraud_signal');
    const soft = { score: 0.3, signals: [signal('urgency_language', false)], gated: false };
    expect(routeInvoice(assess(100_00, { fraud: soft }), 'normal', policy).reason).toBe('fraud_signal');
    const mismatch = { ...matched, status: 'mismatch' as const };
    expect(routeInvoice(assess(100_00, { match: mismatch }), 'normal', policy).reason).toBe('po_mismatch');
    expect(routeInvoice(assess(100_00, { problems: ['total: low'] }), 'normal', policy).reason).toBe(
      'extraction_uncertain',
    );
    expect(routeInvoice(assess(2_000_00), 'normal', policy)).toMatchObject({
      route: 'assisted',
      reason: 'approval_required',
    });
    const scan = unreadableAssessment({ reason: 'no_text_layer', problem: 'scan', vendorId: null, poNumber: null });
    expect(routeInvoice(scan, 'normal', policy)).toMatchObject({ route: 'manual', reason: 'no_text_layer' });
    expect(scan.approvers.count).toBe(2);
  });

  it('nothing a hard gate stopped is ever approved alone: any mode, amount, match, score or other signal', () => {
    const gates: FraudSignalName[] = [
      'vendor_unknown',
      'vendor_new',
      'vendor_blocked',
      'bank_details_changed',
      'duplicate_invoice',
    ];
    const softs: FraudSignalName[] = ['urgency_language', 'unusual_payment_terms', 'round_amount', 'just_under_limit'];
    fc.assert(
      fc.property(
        fc.constantFrom(...MODES),
        fc.integer({ min: 0, max: 100_000_00 }),
        fc.constantFrom(...gates),
        fc.subarray(softs),
        fc.boolean(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (mode, total, gate, others, isMatched, confidence) => {
          const fraud: FraudAssessment = {
            // Whatever score a future weighting gives, the gate alone must hold.
            score: confidence,
            signals: [signal(gate, true), ...others.map((name) => signal(name, false, 0.01))],
            gated: true,
          };
          const assessment = assess(total, { fraud, match: isMatched ? matched : { ...matched, status: 'mismatch' } });
          const route = routeInvoice(assessment, mode, policy);
          expect(route.route).not.toBe('auto');
          if (gate === 'vendor_new' || gate === 'vendor_unknown')
            expect(['new_vendor', 'mode_shutdown']).toContain(route.reason);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the new vendor with urgent language, the failure users fear, goes to a person with both findings', () => {
    const fraud: FraudAssessment = {
      score: 1,
      signals: [signal('vendor_new', true), signal('urgency_language', false)],
      gated: true,
    };
    const assessment = assess(50_00, { fraud });
    expect(assessment).toMatchObject({ category: 'hold', anomaly: true });
    expect(routeInvoice(assessment, 'normal', policy)).toMatchObject({ route: 'assisted', reason: 'new_vendor' });
  });
});

describe('reading the rest of an invoice off the page', () => {
  it('line items in English, German and French layouts, not totals or tax lines', () => {
    const text = [
      'Laptop stand   2 x 45.00 EUR   90.00 EUR',
      '1  Bürostuhl  3  120,50  361,50',
      'Écran 27 pouces 2 199,99 € 399,98 €',
      'Subtotal 851.48',
      'VAT 19% 161.78',
      'Total 1013.26',
      'Invoice date 02.11.2026',
    ].join('\n');
    const { items, confidence } = lineItemsFromText(text);
    expect(
      items.map(({ description, quantity, unitPrice, amount }) => [description, quantity, unitPrice, amount]),
    ).toEqual([
      ['Laptop stand', 2, 45_00, 90_00],
      ['Bürostuhl', 3, 120_50, 361_50],
      ['Écran 27 pouces', 2, 199_99, 399_98],
    ]);
    expect(confidence).toBe(0.7);
  });

  it('subtotal, tax and the seller tax id in three languages', () => {
    expect(amountFieldsFromText('Subtotal: 100.00 EUR\nVAT 19%: 19.00 EUR\nVAT ID: DE123456789')).toMatchObject({
      subtotal: { value: 100 },
      tax: { value: 19 },
      vendorTaxId: { value: 'DE123456789' },
    });
    expect(amountFieldsFromText('Nettobetrag 1.000,00 €\nMwSt. 19 % 190,00 €\nUSt-IdNr.: DE 987654321')).toMatchObject({
      subtotal: { value: 1000 },
      tax: { value: 190 },
      vendorTaxId: { value: 'DE987654321' },
    });
    expect(amountFieldsFromText('Total HT 500,00 €\nTVA 20 % 100,00 €\nN° TVA FR12345678901')).toMatchObject({
      subtotal: { value: 500 },
      tax: { value: 100 },
      vendorTaxId: { value: 'FR12345678901' },
    });
  });

  it('amounts that do not reconcile, missing fields and doubtful ones are problems', () => {
    const fields = { total: read(119), invoiceNumber: read('A-1'), issueDate: read('2026-11-02') };
    const ok: InvoiceFacts = {
      ...facts(119_00),
      subtotal: 100_00,
      tax: 19_00,
      lines: [{ description: 'x', quantity: 1, unitPrice: 100_00, amount: 100_00 }],
    };
    expect(extractionProblems(fields, ok)).toEqual([]);
    expect(extractionProblems(fields, { ...ok, tax: 20_00 })).toEqual([
      'subtotal 10000 + tax 2000 is not the total 11900',
    ]);
    expect(extractionProblems(fields, { ...ok, subtotal: 90_00, tax: 29_00 })[0]).toMatch(
      /lines add up to 10000, the subtotal says 9000/,
    );
    const noTax: InvoiceFacts = { ...ok, subtotal: null, tax: null, total: 120_00 };
    expect(extractionProblems({ ...fields, total: read(120) }, noTax)[0]).toMatch(/the total says 12000/);
    expect(extractionProblems({ total: read(119, 0.7) }, ok)).toEqual([
      'invoiceNumber: not found on the invoice',
      'issueDate: not found on the invoice',
      'total: read with confidence 0.7, below 0.9 (test)',
    ]);
  });
});

describe('the invoice policy file', () => {
  it('fills in what it leaves out, and refuses a matrix with a hole in it', () => {
    const policy = parseInvoicePolicy(JSON.stringify({ approval: { autoApproveLimit: 500_00 } }));
    expect(policy.approval).toMatchObject({ autoApproveLimit: 500_00, highRiskScore: 0.3 });
    expect(policy.approval.bands).toEqual(DEFAULT_INVOICE_POLICY.approval.bands);
    const open = { approval: { bands: [{ upTo: 100_00, approvers: { low: 1, high: 2 } }] } };
    expect(() => parseInvoicePolicy(JSON.stringify(open))).toThrow(/last band must have upTo null/);
    const unordered = {
      approval: {
        bands: [
          { upTo: 100_00, approvers: { low: 1, high: 2 } },
          { upTo: 50_00, approvers: { low: 1, high: 2 } },
          { upTo: null, approvers: { low: 2, high: 2 } },
        ],
      },
    };
    expect(() => parseInvoicePolicy(JSON.stringify(unordered))).toThrow(/must increase/);
    expect(() => parseInvoicePolicy('{"approval":{"bands":[{"upTo":null,"approvers":{"low":3,"high":2}}]}}')).toThrow();
    expect(() => parseInvoicePolicy('{"approvers":1}')).toThrow(/approvers/);
  });
});
