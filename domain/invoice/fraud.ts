// Fraud scoring for an invoice: each signal the rules find, with its weight, combined into a score
// in [0, 1] (noisy-OR: independent reasons for doubt add up, none alone reaches certainty unless
// it is a gate). Hard gates — an unknown or new vendor, bank details that differ from the vendor
// master, a duplicate — send the invoice to people whatever else is true: no weight can outvote them.
import { normaliseAddress, normaliseIban, type Vendor } from './reference';

export type FraudSignalName =
  | 'vendor_unknown'
  | 'vendor_new'
  | 'vendor_blocked'
  | 'bank_details_changed'
  | 'duplicate_invoice'
  | 'duplicate_amount'
  | 'shared_address'
  | 'unusual_payment_terms'
  | 'urgency_language'
  | 'just_under_limit'
  | 'dated_before_po'
  | 'round_amount';

export interface FraudSignal {
  name: FraudSignalName;
  weight: number;
  /** A gate sends the invoice to people on its own. */
  gate: boolean;
  detail: string;
}

export interface FraudAssessment {
  score: number;
  signals: FraudSignal[];
  /** True when any hard gate fired: the agent never approves it. */
  gated: boolean;
}

/** Soft signals' weights; gates weigh 1. */
export const SIGNAL_WEIGHTS: Record<Exclude<FraudSignalName, GateName>, number> = {
  duplicate_amount: 0.4,
  shared_address: 0.5,
  unusual_payment_terms: 0.35,
  urgency_language: 0.3,
  just_under_limit: 0.3,
  dated_before_po: 0.3,
  round_amount: 0.1,
};

type GateName = 'vendor_unknown' | 'vendor_new' | 'vendor_blocked' | 'bank_details_changed' | 'duplicate_invoice';

const UNUSUAL_TERMS =
  /\b(immediate (wire|payment|transfer)|wire (it )?today|prepay(ment)?|payment in advance|advance payment|net\s*0\b|due (immediately|on receipt)|crypto|bitcoin|btc|usdt|ethereum|gift cards?)\b/i;
const URGENCY =
  /\b(urgent(ly)?|asap|immediately|right away|today only|final (notice|reminder)|avoid (suspension|penalt(y|ies)|late fees?)|account (will be )?(suspended|closed)|within 24 hours|time[- ]sensitive)\b/i;

export interface FraudInput {
  invoice: {
    vendorId: string | null;
    invoiceNumber: string | null;
    issueDate: string | null;
    /** Total in minor units. */
    total: number | null;
    iban: string | null;
    remitTo: string | null;
    paymentTerms: string | null;
    /** The document's text, for language the rules look for. */
    text: string;
  };
  /** The vendor master's record, or null when the vendor is not on it. */
  vendor: Vendor | null;
  /** Other vendors' addresses (not this vendor's). */
  otherVendorAddresses: readonly { vendorId: string; address: string }[];
  /** This vendor's earlier invoices (not this one). */
  priorInvoices: readonly { invoiceNumber: string; total: number; issueDate: string }[];
  /** The PO's issue date, when the invoice names a known PO. */
  poIssuedOn: string | null;
  /** Amounts (minor units) from which more approval is needed: just below one is suspicious. */
  approvalLimits: readonly number[];
  /** Days within which the same amount from the same vendor is a possible duplicate. */
  duplicateWindowDays?: number;
}

const DAY_MS = 86_400_000;

export function assessFraud(input: FraudInput): FraudAssessment {
  const signals: FraudSignal[] = [];
  const gate = (name: GateName, detail: string) => signals.push({ name, weight: 1, gate: true, detail });
  const soft = (name: keyof typeof SIGNAL_WEIGHTS, detail: string) =>
    signals.push({ name, weight: SIGNAL_WEIGHTS[name], gate: false, detail });
  const { invoice, vendor } = input;

  if (!vendor) gate('vendor_unknown', `vendor ${invoice.vendorId ?? '(none named)'} is not in the vendor master`);
  else {
    if (vendor.status === 'blocked') gate('vendor_blocked', `vendor ${vendor.vendorId} is blocked`);
    if (vendor.invoicesPaid === 0)
      gate('vendor_new', `first invoice from ${vendor.name} (first seen ${vendor.firstSeen})`);
    const current = vendor.bankAccounts.at(-1);
    if (invoice.iban && (!current || normaliseIban(invoice.iban) !== normaliseIban(current.iban))) {
      gate(
        'bank_details_changed',
        current
          ? `the invoice asks for payment to ${normaliseIban(invoice.iban)}, the vendor master holds ${normaliseIban(current.iban)}`
          : `the invoice names an account; the vendor master holds none`,
      );
    }
  }

  if (invoice.invoiceNumber) {
    const number = invoice.invoiceNumber.trim().toLowerCase();
    const same = input.priorInvoices.find((prior) => prior.invoiceNumber.trim().toLowerCase() === number);
    if (same)
      gate('duplicate_invoice', `invoice number ${invoice.invoiceNumber} was already submitted (${same.issueDate})`);
  }
  if (invoice.total !== null && invoice.issueDate) {
    const window = (input.duplicateWindowDays ?? 30) * DAY_MS;
    const at = Date.parse(invoice.issueDate);
    const same = input.priorInvoices.find(
      (prior) =>
        prior.total === invoice.total &&
        prior.invoiceNumber.trim().toLowerCase() !== invoice.invoiceNumber?.trim().toLowerCase() &&
        Math.abs(Date.parse(prior.issueDate) - at) <= window,
    );
    if (same) soft('duplicate_amount', `the same amount was invoiced on ${same.issueDate} as ${same.invoiceNumber}`);
  }
  if (invoice.remitTo) {
    const address = normaliseAddress(invoice.remitTo);
    const shared = input.otherVendorAddresses.find((other) => normaliseAddress(other.address) === address);
    if (shared) soft('shared_address', `the remit-to address is also vendor ${shared.vendorId}'s`);
  }
  const terms = `${invoice.paymentTerms ?? ''}\n${invoice.text}`;
  const unusual = UNUSUAL_TERMS.exec(terms);
  if (unusual) soft('unusual_payment_terms', `payment terms: "${unusual[0]}"`);
  const urgent = URGENCY.exec(invoice.text);
  if (urgent) soft('urgency_language', `urgency: "${urgent[0]}"`);
  if (invoice.total !== null) {
    const limit = input.approvalLimits.find(
      (candidate) => invoice.total! < candidate && invoice.total! >= candidate * 0.97,
    );
    if (limit !== undefined)
      soft('just_under_limit', `total ${invoice.total} is just under the approval limit ${limit}`);
    if (invoice.total >= 100_000 && invoice.total % 100_000 === 0)
      soft('round_amount', `total ${invoice.total} is a round amount`);
  }
  if (input.poIssuedOn && invoice.issueDate && Date.parse(invoice.issueDate) < Date.parse(input.poIssuedOn)) {
    soft('dated_before_po', `invoice dated ${invoice.issueDate}, before its PO (${input.poIssuedOn})`);
  }

  const score = 1 - signals.reduce((clean, signal) => clean * (1 - signal.weight), 1);
  return { score: +score.toFixed(4), signals, gated: signals.some((signal) => signal.gate) };
}
