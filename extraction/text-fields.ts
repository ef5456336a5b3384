// Invoice fields read off the page text when no structured data is embedded: labelled values
// ("Invoice No", "Rechnungsdatum", "Total TTC" ...) in English, German, French and Dutch.
// Each field's confidence is a fixed tier by how the value was found (a strong label on the same
// line, a weaker label, agreement between candidates); docs/model.md has the tiers' measured accuracy.
import type { ExtractedField, InvoiceField } from './types';

export const TIERS = { high: 0.9, medium: 0.7, low: 0.4 } as const;

interface Candidate<T> {
  value: T;
  strength: number; // 2 strong label, 1 weak label, 0 no label
  evidence: string;
}

const MONTHS: Record<string, number> = Object.fromEntries(
  [
    ['january jan januar janvier januari', 1],
    ['february feb februar février fevrier februari', 2],
    ['march mar märz maerz mars maart', 3],
    ['april apr avril', 4],
    ['may mai mei', 5],
    ['june jun juni juin', 6],
    ['july jul juli juillet', 7],
    ['august aug août aout augustus', 8],
    ['september sep sept septembre', 9],
    ['october oct oktober octobre', 10],
    ['november nov novembre', 11],
    ['december dec dezember décembre decembre', 12],
  ].flatMap(([names, n]) => (names as string).split(' ').map((m) => [m, n as number])),
);

const pad = (n: number) => String(n).padStart(2, '0');
function isoDate(year: number, month: number, day: number): string | null {
  if (year < 100) year += 2000;
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1990 || year > 2100) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** Every date on a line, as ISO strings (day-first for numeric dates, as on European invoices). */
export function datesIn(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/\b(\d{4})-(\d{2})-(\d{2})\b/g)) out.push(isoDate(+m[1], +m[2], +m[3])!);
  for (const m of line.matchAll(/\b(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})\b/g)) out.push(isoDate(+m[3], +m[2], +m[1])!);
  for (const m of line.matchAll(/\b(\d{1,2})\.?\s+([A-Za-zäéû]+)\.?\s+(\d{4})\b/g)) {
    const month = MONTHS[m[2].toLowerCase()];
    if (month) out.push(isoDate(+m[3], month, +m[1])!);
  }
  for (const m of line.matchAll(/\b([A-Za-z]+)\.?\s+(\d{1,2})\s*,\s*(\d{4})\b/g)) {
    const month = MONTHS[m[1].toLowerCase()];
    if (month) out.push(isoDate(+m[3], month, +m[2])!);
  }
  return out.filter(Boolean);
}

/** Amounts in European or English notation: 4.904,94 / 4,904.94 / 45,93 / 1939. */
export function amountsIn(line: string): number[] {
  const out: number[] = [];
  // French and Swiss invoices group thousands with a (no-break) space: "28 068,28". Read those
  // first (groups of exactly three digits before a decimal comma) and blank them out. A quantity
  // written right before such an amount ("2 450,00") stays ambiguous and reads as one number.
  let rest = line;
  for (const m of line.matchAll(/(?<![\w.,])-?\d{1,3}(?:[ \u00a0\u202f]\d{3})+,\d{2}(?![\w%]|[.,]\d)/g)) {
    const n = Number(m[0].replace(/[ \u00a0\u202f]/g, '').replace(',', '.'));
    if (Number.isFinite(n)) out.push(n);
    rest = rest.replace(m[0], ' ');
  }
  for (const m of rest.matchAll(/(?<![\w.,])-?(?:\d{1,3}(?:[.,]\d{3})+|\d+)(?:[.,]\d{2})?(?![\w%]|[.,]\d)/g)) {
    let s = m[0];
    const lastSep = Math.max(s.lastIndexOf('.'), s.lastIndexOf(','));
    if (lastSep >= 0 && s.length - lastSep - 1 === 2)
      s = s.slice(0, lastSep).replace(/[.,]/g, '') + '.' + s.slice(lastSep + 1);
    else s = s.replace(/[.,]/g, '');
    const n = Number(s);
    if (Number.isFinite(n)) out.push(n);
  }
  return out;
}

const CURRENCY_MARK = String.raw`(?:€|\$|£|₹|\bRs\.?|\b(?:EUR|USD|GBP|INR|PLN|CHF)\b|zł)`;
// An amount next to a mark: space-grouped thousands ("28 068,28 €") first, then any digits.
const MARKED_AMOUNT = String.raw`(-?\d{1,3}(?:[ \u00a0\u202f]\d{3})+,\d{2}|-?\d[\d.,]*)`;
const MARK_THEN_AMOUNT = new RegExp(String.raw`${CURRENCY_MARK}\s*${MARKED_AMOUNT}`, 'g');
const AMOUNT_THEN_MARK = new RegExp(String.raw`${MARKED_AMOUNT}\s*${CURRENCY_MARK}`, 'g');

/**
 * Amounts on a line, preferring those written next to a currency mark (a year or a count is not
 * money): "$4.11" style first, then "56,02 €" style, else any amount that is not a date or a year.
 */
export function moneyIn(line: string): number[] {
  for (const re of [MARK_THEN_AMOUNT, AMOUNT_THEN_MARK]) {
    const found = [...line.matchAll(re)].flatMap((m) => amountsIn(m[1]));
    if (found.length) return found;
  }
  return amountsIn(line.replace(/\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b/g, '').replace(/\b(?:19|20)\d{2}\b/g, ''));
}

const TOTAL_LABELS: [RegExp, number][] = [
  [
    /grand total|total amount due|amount due|amount payable|total due|total payable|balance due|total ttc|montant ttc|total facture|somme à payer|net à payer|bruttosumme|gesamtbetrag|gesamtsumme|zahlbetrag|zu zahlen|rechnungsbetrag|te betalen/i,
    2,
  ],
  [/\btotaa?l\b|\btotal\b/i, 1],
];
const NOT_TOTAL =
  /subtota|sub-total|net total|total net|total ht|montant ht|summe netto|nettobetrag|zwischensumme|ohne|exclusief|excl|tax\b|tva|btw|mwst|vat|zuschl|abschl|anzahlung/i;

const DATE_LABELS: [RegExp, number][] = [
  [/invoice date|rechnungsdatum|factuurdatum|date de facture|date d'émission|facture n°.* du /i, 2],
  [/\bdate\b|\bdatum\b|\bdu\b/i, 1],
];
const NOT_ISSUE_DATE = /due|fällig|échéance|limite|order|bestell|liefer|leistung|period|vervaldatum|check/i;

const NUMBER_LABELS: [RegExp, number][] = [
  [
    /invoice (?:number|no\.?|#)\s*:?|bill (?:no\.?|number)\s*:?|rechnungs-?(?:nr\.?|nummer)\s*:?|rechnung\s+nr\.?\s*:?|factuurnummer\s*:?|facture n°\s*|n° de facture\s*:?|numéro de facture\s*:?/i,
    2,
  ],
  // "Belegnummer" (document number) also names other documents in running text: a weak label.
  [/\binvoice\b\s*:?|booking id\s*:?|belegnummer\s*:?|^#\s*|\bnr\.\s*/i, 1],
];

function best<T>(
  cands: Candidate<T>[],
  same: (a: T, b: T) => boolean,
): { value: T; confidence: number; evidence: string } | null {
  if (!cands.length) return null;
  const top = Math.max(...cands.map((c) => c.strength));
  const strongest = cands.filter((c) => c.strength === top);
  const agree = strongest.every((c) => same(c.value, strongest[0].value));
  const tier = top === 2 && agree ? TIERS.high : top >= 1 && agree ? TIERS.medium : TIERS.low;
  return { value: strongest[0].value, confidence: tier, evidence: strongest[0].evidence };
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

export function totalFromText(text: string) {
  const cands: Candidate<number>[] = [];
  const all = lines(text);
  for (const [i, line] of all.entries()) {
    if (NOT_TOTAL.test(line)) continue;
    for (const [re, strength] of TOTAL_LABELS) {
      if (!re.test(line)) continue;
      // A label alone on its line (stacked layouts) has its amount on the next line; a value
      // found there is less certain than one beside its label, so it is at most a weak candidate.
      const own = moneyIn(line);
      const amounts = own.length ? own : moneyIn(all[i + 1] ?? '');
      const found = own.length ? strength : Math.min(strength, 1);
      if (amounts.length)
        cands.push({ value: Math.max(...amounts), strength: found, evidence: `"${line.slice(0, 80)}"` });
      break;
    }
  }
  return best(cands, (a, b) => Math.abs(a - b) < 0.005);
}

export function issueDateFromText(text: string) {
  const cands: Candidate<string>[] = [];
  const all = lines(text);
  all.forEach((line, i) => {
    for (const [re, strength] of DATE_LABELS) {
      if (!re.test(line) || NOT_ISSUE_DATE.test(line)) continue;
      // A label alone on its line is often followed (column layouts) by its value on the next line.
      const dates = datesIn(line).length ? datesIn(line) : datesIn(all[i + 1] ?? '');
      if (dates.length) cands.push({ value: dates[0], strength, evidence: `"${line.slice(0, 80)}"` });
      break;
    }
  });
  if (!cands.length) {
    const first = all.flatMap((l) => datesIn(l))[0];
    if (first) cands.push({ value: first, strength: 0, evidence: 'first date in the document' });
  }
  return best(cands, (a, b) => a === b);
}

export function invoiceNumberFromText(text: string) {
  const cands: Candidate<string>[] = [];
  const all = lines(text);
  for (const [i, line] of all.entries()) {
    for (const [re, strength] of NUMBER_LABELS) {
      const m = re.exec(line);
      if (!m) continue;
      // A label ending its line (stacked layouts) has its number on the next line: at most a weak
      // candidate there, as that line may hold something else entirely.
      const own = line.slice(m.index + m[0].length).trim();
      const after = own || (all[i + 1] ?? '');
      const found = own ? strength : Math.min(strength, 1);
      const token = /^#?\s*([A-Z0-9][\w/.-]*\d[\w/.-]*|[\w/.-]*\d[\w/.-]*)/i.exec(after)?.[1];
      if (token)
        cands.push({ value: token.replace(/[.,:]+$/, ''), strength: found, evidence: `"${line.slice(0, 80)}"` });
      break;
    }
  }
  return best(cands, (a, b) => a === b);
}

const CURRENCIES: [RegExp, string][] = [
  [/€|\bEUR\b/g, 'EUR'],
  [/\$|\bUSD\b/g, 'USD'],
  [/₹|\bRs\.?(?=\s|\d)|\bINR\b/g, 'INR'],
  [/£|\bGBP\b/g, 'GBP'],
  [/\bPLN\b|zł/g, 'PLN'],
  [/\bCHF\b/g, 'CHF'],
];

export function currencyFromText(text: string) {
  const counts = CURRENCIES.map(([re, code]) => ({ code, n: (text.match(re) ?? []).length })).sort((a, b) => b.n - a.n);
  if (!counts[0].n) return null;
  const share = counts[0].n / counts.reduce((s, c) => s + c.n, 0);
  return {
    value: counts[0].code,
    confidence: share > 0.9 ? TIERS.high : share > 0.6 ? TIERS.medium : TIERS.low,
    evidence: `${counts[0].n} of the currency marks`,
  };
}

/** Legal forms that end a company's name: a line carrying one near the top is the seller. */
const LEGAL_FORM =
  /\b(gmbh|ag|kg|ohg|ug|ltd|limited|plc|inc|llc|corp(oration)?|co\.|sarl|sas|sa|eurl|bv|nv|s\.?p\.?a|s\.?r\.?l|pvt|oy|ab|as)\b\.?/i;
const TITLE_WORDS = /^(tax )?(invoice|rechnung|facture|factuur|bill|receipt|quittung|gutschrift|credit note)\b/i;
/** How far down the page the seller is looked for. */
const SELLER_LINES = 12;
/** Labels of the buyer's block: the company named there (or on the next line) is not the seller. */
const BUYER_LABEL =
  /^(bill(ed)? to|ship to|sold to|invoice to|customer|client|kunde|rechnungsempfänger|lieferadresse|facturé à|adresse de facturation)\b/i;
/** Labels of the seller's block in a letter layout. */
const FROM_LABEL = /^(from|von|de|seller|verkäufer|vendeur|lieferant|fournisseur)\s*:\s*(.*)$/i;
/** How many lines at the foot of the page are looked at for a seller named only there. */
const FOOTER_LINES = 4;

/**
 * The first line near the top that names a company by its legal form. Low confidence: on the
 * real invoices with ground truth this is often the buyer or a group company (docs/model.md);
 * without a legal form nothing is offered, as the first line of a page is rarely the seller.
 */
export function sellerFromText(text: string) {
  const all = lines(text);
  const clean = (name: string) => name.replace(/[\s:,;]+$/, '');
  // A "from" block names the seller on its line or the next one.
  for (const [i, line] of all.slice(0, SELLER_LINES).entries()) {
    const from = FROM_LABEL.exec(line);
    const name = from ? from[2] || all[i + 1] || '' : '';
    if (from && LEGAL_FORM.test(name) && name.length <= 80)
      return { value: clean(name), confidence: TIERS.low, evidence: `"${line}" (from block)` };
  }
  // Otherwise the first line near the top with a legal form, leaving out the buyer's block.
  const buyer = new Set<number>();
  all.slice(0, SELLER_LINES).forEach((line, i) => {
    if (BUYER_LABEL.test(line)) [i, i + 1].forEach((index) => buyer.add(index));
  });
  const top = all.slice(0, SELLER_LINES).filter((_, i) => !buyer.has(i));
  const named = top.find((line) => LEGAL_FORM.test(line) && !TITLE_WORDS.test(line) && line.length <= 80);
  if (named)
    return { value: clean(named), confidence: TIERS.low, evidence: `"${named}" (legal form, top of the page)` };
  // Some name the seller only in the footer, before its address and registration.
  for (const line of all.slice(-FOOTER_LINES)) {
    const first = line.split(/\s+[·|•]\s+|\s{2,}/)[0];
    if (LEGAL_FORM.test(first) && first.length <= 80 && !TITLE_WORDS.test(first))
      return { value: clean(first), confidence: TIERS.low, evidence: `"${line.slice(0, 80)}" (footer)` };
  }
  return null;
}

export function fieldsFromText(text: string): Partial<Record<InvoiceField, ExtractedField>> {
  const asField = <T extends string | number>(
    r: { value: T; confidence: number; evidence: string } | null,
  ): ExtractedField | undefined => (r ? { ...r, source: 'text' } : undefined);
  return {
    invoiceNumber: asField(invoiceNumberFromText(text)),
    seller: asField(sellerFromText(text)),
    issueDate: asField(issueDateFromText(text)),
    currency: asField(currencyFromText(text)),
    total: asField(totalFromText(text)),
  };
}
