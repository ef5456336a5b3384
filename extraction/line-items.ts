// Line items read off the page text: a line is an item when it ends in three numbers of which the
// first times the second is the third (quantity × unit price = amount, to the cent), after a
// description with letters in it. Layout-free, so it reads "Desk 2 x 45.00 EUR 90.00 EUR" and a
// table row "1 Desk 2 45,00 90,00" alike; it misses items whose amount includes a discount.
import { amountsIn, TIERS } from './text-fields';

export interface ReadLineItem {
  description: string;
  quantity: number;
  /** Minor units. */
  unitPrice: number;
  /** Minor units. */
  amount: number;
  evidence: string;
}

/** Lines that carry totals or taxes, never items even when their numbers happen to multiply. */
const NOT_AN_ITEM =
  /\b(sub-?total|total|summe|gesamt|tax|vat|mwst|ust|tva|iban|bic|invoice|rechnung|facture|date|datum|po number|due)\b/i;
const NUMBER_START = /(?<![\w.,])\d/g;

const minor = (amount: number) => Math.round(amount * 100);

function itemOf(line: string): ReadLineItem | null {
  if (NOT_AN_ITEM.test(line)) return null;
  for (const start of line.matchAll(NUMBER_START)) {
    const description = line
      .slice(0, start.index)
      .replace(/^\s*\d+[.)]?\s+/, '') // a position number before the description
      .trim();
    if ((description.match(/\p{L}/gu) ?? []).length < 2) continue;
    const tail = line.slice(start.index);
    // A quantity right before a price reads as space-grouped thousands ("3 120,50"): read the
    // words one by one too, and keep the reading whose numbers multiply.
    for (const numbers of [amountsIn(tail), tail.split(' ').flatMap((word) => amountsIn(word))]) {
      if (numbers.length !== 3) continue;
      const [quantity, unitPrice, amount] = numbers;
      if (quantity <= 0 || Math.abs(minor(quantity * unitPrice) - minor(amount)) > 1) continue;
      return {
        description,
        quantity,
        unitPrice: minor(unitPrice),
        amount: minor(amount),
        evidence: line.slice(0, 120),
      };
    }
  }
  return null;
}

export function lineItemsFromText(text: string): { items: ReadLineItem[]; confidence: number } {
  const items = text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .map(itemOf)
    .filter((item): item is ReadLineItem => item !== null);
  // Products that check out are strong evidence, but a missed row cannot be seen: medium.
  return { items, confidence: items.length > 0 ? TIERS.medium : 0 };
}
