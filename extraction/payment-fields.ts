// The fields an invoice's payment hangs on, read off the page text: where the money goes (IBAN),
// which purchase order it bills, the payment terms, the due date and the remit-to address. Labels in English, German
// and French. The same confidence tiers as the core fields: a strong label on the line is high,
// a weak one medium; an IBAN whose check digits fail is never offered at all.
import { ibanProblem } from '../domain/invoice/iban';
import { normaliseIban } from '../domain/invoice/reference';
import { datesIn, TIERS } from './text-fields';
import type { ExtractedField } from './types';

export const PAYMENT_FIELDS = ['iban', 'poNumber', 'paymentTerms', 'dueDate', 'remitTo'] as const;
export type PaymentField = (typeof PAYMENT_FIELDS)[number];

const IBAN_CANDIDATE = /\b([A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?)\b/g;
const IBAN_LABEL = /\b(iban|bank account|account no|kontonummer|compte|rib)\b/i;
const PO_LABEL =
  /\b(?:purchase order|p\.?o\.?\s*(?:number|no\.?|#)?|order (?:number|no\.?)|bestell(?:nummer|nr\.?)|bon de commande|n° de commande)\s*[:#]?\s*([A-Z0-9][\w/-]*\d[\w/-]*)/i;
const TERMS_LABEL =
  /\b(payment terms?|terms of payment|zahlungs(?:bedingungen|ziel)|conditions de paiement|terms)\s*:?\s*(.+)$/i;
const TERMS_PHRASE =
  /\b(net\s*\d{1,3}(?:\s*days)?|due (?:on|upon) receipt|payable (?:within|in) \d{1,3} days|zahlbar (?:innerhalb von|binnen) \d{1,3} tagen|à \d{1,3} jours|prepayment|payment in advance|immediate (?:wire|payment|transfer))\b/i;
// No \b before É: in a non-unicode regex it is not a word character.
const REMIT_LABEL = /^(?:remit to|remittance address|pay to|zahlungsempfänger|adresse de paiement)\s*:\s*(.{5,200})$/i;
const DUE_LABEL = /\bdue date|\bpayment due|\bdue by|\bfällig|\bzahlbar bis|échéance|\bdate limite/i;

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

const field = (value: string, confidence: number, evidence: string): ExtractedField => ({
  value,
  confidence,
  source: 'text',
  evidence,
});

function ibanFrom(all: string[]): ExtractedField | undefined {
  for (const labelled of [true, false]) {
    for (const line of all) {
      if (labelled !== IBAN_LABEL.test(line)) continue;
      for (const match of line.matchAll(IBAN_CANDIDATE)) {
        const iban = normaliseIban(match[1]);
        if (ibanProblem(iban) === null)
          return field(iban, labelled ? TIERS.high : TIERS.medium, `"${line.slice(0, 80)}" (check digits valid)`);
      }
    }
  }
  return undefined;
}

export function paymentFieldsFromText(text: string): Partial<Record<PaymentField, ExtractedField>> {
  const all = lines(text);
  const out: Partial<Record<PaymentField, ExtractedField>> = {};
  const iban = ibanFrom(all);
  if (iban) out.iban = iban;
  for (const line of all) {
    const po = PO_LABEL.exec(line);
    if (po && !out.poNumber) out.poNumber = field(po[1].replace(/[.,:]+$/, ''), TIERS.high, `"${line.slice(0, 80)}"`);
    const phrase = TERMS_PHRASE.exec(line);
    const labelled = TERMS_LABEL.exec(line);
    if (!out.paymentTerms && (phrase || labelled)) {
      const value = (phrase?.[0] ?? labelled![2]).trim().slice(0, 100);
      out.paymentTerms = field(value, labelled ? TIERS.high : TIERS.medium, `"${line.slice(0, 80)}"`);
    }
    const remit = REMIT_LABEL.exec(line);
    if (remit && !out.remitTo) out.remitTo = field(remit[1].trim(), TIERS.high, `"${line.slice(0, 80)}"`);
    if (!out.dueDate && DUE_LABEL.test(line)) {
      const date = datesIn(line)[0];
      if (date) out.dueDate = field(date, TIERS.high, `"${line.slice(0, 80)}"`);
    }
  }
  return out;
}
