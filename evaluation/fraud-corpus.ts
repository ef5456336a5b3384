// A scenario corpus for the fraud checks: a vendor master, purchase orders and earlier invoices,
// and invoices that are either clean or carry one kind of fraud each (some two), with the truth
// beside them. Seeded, so every run evaluates the same corpus.
import type { InvoiceLine } from '../domain/invoice/po-matching';
import type { PurchaseOrder, Vendor } from '../domain/invoice/reference';
import { seededRandom } from '../simulation/seeded-random';

export type FraudKind =
  | 'vendor_unknown'
  | 'vendor_new_urgent'
  | 'vendor_blocked'
  | 'bank_details_changed'
  | 'duplicate_invoice'
  | 'duplicate_amount'
  | 'shared_address'
  | 'unusual_payment_terms'
  | 'urgency_language'
  | 'just_under_limit'
  | 'dated_before_po'
  | 'round_amount_urgent';

export const FRAUD_KINDS: readonly FraudKind[] = [
  'vendor_unknown',
  'vendor_new_urgent',
  'vendor_blocked',
  'bank_details_changed',
  'duplicate_invoice',
  'duplicate_amount',
  'shared_address',
  'unusual_payment_terms',
  'urgency_language',
  'just_under_limit',
  'dated_before_po',
  'round_amount_urgent',
];

export interface CorpusInvoice {
  id: string;
  /** The vendor the submitter names (intake form). */
  vendorId: string;
  vendorName: string;
  invoiceNumber: string;
  issueDate: string;
  dueDate: string;
  poNumber: string;
  currency: 'EUR';
  lines: (InvoiceLine & { amount: number })[];
  /** Minor units. */
  total: number;
  iban: string;
  remitTo: string;
  paymentTerms: string;
  /** Free text on the page (a note to the payer). */
  note: string;
  fraud: FraudKind | null;
}

export interface Corpus {
  vendors: Vendor[];
  purchaseOrders: PurchaseOrder[];
  /** Earlier invoices per vendor. */
  priorInvoices: Record<string, { invoiceNumber: string; total: number; issueDate: string }[]>;
  invoices: CorpusInvoice[];
}

const IBANS = [
  'DE89370400440532013000',
  'DE02120300000000202051',
  'GB33BUKB20201555555555',
  'FR1420041010050500013M02606',
  'NL91ABNA0417164300',
  'BE68539007547034',
  'AT611904300234573201',
  'CH9300762011623852957',
];
const FRAUD_IBAN = 'GB94BARC10201530093459';
const ITEMS = [
  'Laptop stand',
  'USB-C dock',
  'Office chair',
  'Monitor arm',
  'Toner cartridge',
  'Desk lamp',
  'Cable kit',
];

/** `count` invoices, `fraudShare` of them fraudulent, spread over every fraud kind. */
export function buildCorpus(count = 200, fraudShare = 0.25, seed = 7): Corpus {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const vendors: Vendor[] = IBANS.map((iban, index) => ({
    vendorId: `V-${100 + index}`,
    name: `${['Acme', 'Nordlicht', 'Baltic', 'Rhein', 'Alpen', 'Seine', 'Thames', 'Donau'][index]} Supplies ${['GmbH', 'AG', 'Ltd', 'SARL', 'BV', 'NV', 'GmbH', 'AG'][index]}`,
    taxId: `TX${1000 + index}`,
    status: 'active',
    addresses: [`${10 + index} Market Street, ${10_000 + index * 111} Springfield`],
    bankAccounts: [{ iban, since: '2024-01-01' }],
    firstSeen: '2024-01-01',
    invoicesPaid: 10 + index,
    paymentTerms: 'Net 30',
  }));
  vendors.push(
    {
      ...vendors[0],
      vendorId: 'V-NEW',
      name: 'Fresh Start Consulting Ltd',
      addresses: ['1 New Street, London'],
      bankAccounts: [{ iban: 'GB29NWBK60161331926819', since: '2026-11-01' }],
      firstSeen: '2026-11-01',
      invoicesPaid: 0,
    },
    {
      ...vendors[1],
      vendorId: 'V-BLOCKED',
      name: 'Shady Supplies SARL',
      addresses: ['99 Back Lane, Lyon'],
      bankAccounts: [{ iban: 'FR7630006000011234567890189', since: '2025-01-01' }],
      status: 'blocked',
    },
  );
  const purchaseOrders: PurchaseOrder[] = [];
  const priorInvoices: Corpus['priorInvoices'] = {};
  for (const vendor of vendors)
    priorInvoices[vendor.vendorId] = [
      { invoiceNumber: `${vendor.vendorId}-OLD-1`, total: 123_45, issueDate: '2026-10-20' },
    ];

  const frauds = Math.round(count * fraudShare);
  const invoices: CorpusInvoice[] = [];
  for (let i = 0; i < count; i++) {
    const fraud = i < frauds ? FRAUD_KINDS[i % FRAUD_KINDS.length] : null;
    const vendor = pick(vendors.slice(0, IBANS.length));
    // Clean invoices: mostly under the auto-approval limit (1,000.00), some above.
    const overLimit = fraud === null && random() < 0.1;
    const lineCount = 1 + Math.floor(random() * 3);
    const lines = Array.from({ length: lineCount }, (_, lineIndex) => {
      const quantity = 1 + Math.floor(random() * 4);
      const unitPrice = overLimit
        ? 400_00 + Math.floor(random() * 400) * 100
        : 20_00 + Math.floor(random() * 9000) + 37;
      return {
        poLineNo: lineIndex + 1,
        description: ITEMS[(i + lineIndex) % ITEMS.length],
        quantity,
        unitPrice,
        amount: quantity * unitPrice,
      };
    });
    const poNumber = `PO-${5000 + i}`;
    purchaseOrders.push({
      poNumber,
      vendorId: vendor.vendorId,
      currency: 'EUR',
      issuedOn: '2026-10-01',
      lines: lines.map((line) => ({
        lineNo: line.poLineNo,
        description: line.description,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        invoicedQuantity: 0,
      })),
    });
    const invoice: CorpusInvoice = {
      id: `inv-${i}`,
      vendorId: vendor.vendorId,
      vendorName: vendor.name,
      invoiceNumber: `${vendor.vendorId}-${2026_000 + i}`,
      issueDate: '2026-11-02',
      dueDate: '2026-12-02',
      poNumber,
      currency: 'EUR',
      lines,
      total: lines.reduce((sum, line) => sum + line.amount, 0),
      iban: vendor.bankAccounts[0].iban,
      remitTo: vendor.addresses[0],
      paymentTerms: 'Net 30',
      note: 'Thank you for your business.',
      fraud,
    };
    applyFraud(invoice, fraud, { vendors, purchaseOrders, priorInvoices });
    invoices.push(invoice);
  }
  return { vendors, purchaseOrders, priorInvoices, invoices };
}

/** The invoice (and its PO) comes from another vendor of the master, with that vendor's details. */
function switchVendor(invoice: CorpusInvoice, po: PurchaseOrder, vendors: Vendor[], vendorId: string): void {
  const vendor = vendors.find((candidate) => candidate.vendorId === vendorId)!;
  Object.assign(invoice, {
    vendorId: vendor.vendorId,
    vendorName: vendor.name,
    iban: vendor.bankAccounts[0].iban,
    remitTo: vendor.addresses[0],
  });
  po.vendorId = vendor.vendorId;
}

function applyFraud(invoice: CorpusInvoice, fraud: FraudKind | null, corpus: Omit<Corpus, 'invoices'>): void {
  const po = corpus.purchaseOrders.find((candidate) => candidate.poNumber === invoice.poNumber)!;
  const setTotal = (total: number) => {
    invoice.lines = [
      { poLineNo: 1, description: invoice.lines[0].description, quantity: 1, unitPrice: total, amount: total },
    ];
    invoice.total = total;
    po.lines = [
      { lineNo: 1, description: invoice.lines[0].description, quantity: 1, unitPrice: total, invoicedQuantity: 0 },
    ];
  };
  switch (fraud) {
    case 'vendor_unknown':
      invoice.vendorId = 'V-UNKNOWN';
      invoice.vendorName = 'Global Parcel Services Inc';
      po.vendorId = 'V-UNKNOWN';
      break;
    case 'vendor_new_urgent':
      switchVendor(invoice, po, corpus.vendors, 'V-NEW');
      invoice.note = 'URGENT: please process immediately to avoid suspension of service.';
      break;
    case 'vendor_blocked':
      switchVendor(invoice, po, corpus.vendors, 'V-BLOCKED');
      break;
    case 'bank_details_changed':
      invoice.iban = FRAUD_IBAN;
      invoice.note = 'Please note our new bank details below.';
      break;
    case 'duplicate_invoice':
      invoice.invoiceNumber = corpus.priorInvoices[invoice.vendorId][0].invoiceNumber;
      break;
    case 'duplicate_amount':
      setTotal(corpus.priorInvoices[invoice.vendorId][0].total);
      break;
    case 'shared_address':
      invoice.remitTo = corpus.vendors.find((candidate) => candidate.vendorId !== invoice.vendorId)!.addresses[0];
      break;
    case 'unusual_payment_terms':
      invoice.paymentTerms = 'Prepayment by immediate wire';
      break;
    case 'urgency_language':
      invoice.note = 'FINAL NOTICE: pay within 24 hours.';
      break;
    case 'just_under_limit':
      setTotal(995_00);
      break;
    case 'dated_before_po':
      invoice.issueDate = '2026-09-20';
      break;
    case 'round_amount_urgent':
      setTotal(1_000_00);
      invoice.note = 'Urgent: payment needed today.';
      break;
    case null:
      break;
  }
}
