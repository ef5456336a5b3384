// The amounts beside the total and the seller's tax id, read off the page text: the subtotal
// (net) and the tax, so the case can say whether lines, subtotal, tax and total reconcile.
import { moneyIn, TIERS } from './text-fields';
import type { ExtractedField } from './types';

export const AMOUNT_FIELDS = ['subtotal', 'tax', 'vendorTaxId'] as const;
export type AmountField = (typeof AMOUNT_FIELDS)[number];

const SUBTOTAL_LABEL =
  /\b(sub-?total|net (?:amount|total)|total net|total (?:excl\.?|excluding) (?:vat|tax)|zwischensumme|nettobetrag|summe netto|netto)\b|total ht|montant ht/i;
const TAX_LABEL = /\b(vat|tax|sales tax|mwst|ust|umsatzsteuer|tva)\b/i;
/** Lines that name a tax but carry another amount. */
const NOT_TAX = /\b(incl|inkl|ttc|total due|amount due|gesamt|brutto|id|no\.?|nr\.?|number|numéro|intracom)/i;
const TAX_ID_LABEL =
  /\b(vat (?:id|no\.?|number|reg(?:istration)? no\.?)|tax (?:id|number)|ust-?id(?:nr\.?)?|umsatzsteuer-?id(?:entifikationsnummer)?|steuernummer|n° tva|tva intracom\w*|numéro de tva)(?![a-zäöüé])\.?\s*:?\s*([A-Z]{2}[A-Z0-9 ]{8,14})/i;

const field = (value: string | number, confidence: number, line: string): ExtractedField => ({
  value,
  confidence,
  source: 'text',
  evidence: `"${line.slice(0, 80)}"`,
});

export function amountFieldsFromText(text: string): Partial<Record<AmountField, ExtractedField>> {
  const out: Partial<Record<AmountField, ExtractedField>> = {};
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+/g, ' ').trim();
    if (!line) continue;
    const taxId = TAX_ID_LABEL.exec(line);
    if (taxId && !out.vendorTaxId) out.vendorTaxId = field(taxId[2].replace(/\s+/g, ''), TIERS.high, line);
    if (!out.subtotal && SUBTOTAL_LABEL.test(line)) {
      const amount = moneyIn(line).at(-1);
      if (amount !== undefined) out.subtotal = field(amount, TIERS.high, line);
      continue;
    }
    if (!out.tax && TAX_LABEL.test(line) && !NOT_TAX.test(line)) {
      const amount = moneyIn(line).at(-1);
      if (amount !== undefined) out.tax = field(amount, TIERS.medium, line);
    }
  }
  return out;
}
