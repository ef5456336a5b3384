// Whether what was read off an invoice is good enough to act on: required fields present, each
// at or above its confidence threshold, and the amounts reconciling (lines → subtotal, subtotal +
// tax → total). Every problem is a sentence for the reviewer; any problem sends the invoice to people.
import type { InvoiceFacts, ReadField } from './types';

/** Below these, a field is a guess a person must check (tiers measured in docs/model.md). */
export const FIELD_THRESHOLDS: Record<string, number> = {
  total: 0.9,
  invoiceNumber: 0.9,
  issueDate: 0.7,
  iban: 0.9,
  poNumber: 0.9,
};

export const REQUIRED_FIELDS = ['total', 'invoiceNumber', 'issueDate'] as const;

/** Rounding on each line may leave a cent per line between the lines' sum and the subtotal. */
const perLineSlack = (lines: number) => Math.max(1, lines);

export function extractionProblems(fields: Record<string, ReadField>, facts: InvoiceFacts): string[] {
  const problems: string[] = [];
  for (const name of REQUIRED_FIELDS) if (!fields[name]) problems.push(`${name}: not found on the invoice`);
  for (const [name, threshold] of Object.entries(FIELD_THRESHOLDS)) {
    const read = fields[name];
    if (read && read.confidence < threshold)
      problems.push(`${name}: read with confidence ${read.confidence}, below ${threshold} (${read.evidence})`);
  }
  const linesSum = facts.lines.reduce((sum, line) => sum + line.amount, 0);
  const slack = perLineSlack(facts.lines.length);
  if (facts.lines.length > 0 && facts.subtotal !== null && Math.abs(linesSum - facts.subtotal) > slack)
    problems.push(`lines add up to ${linesSum}, the subtotal says ${facts.subtotal}`);
  if (facts.subtotal !== null && facts.tax !== null && facts.total !== null) {
    if (Math.abs(facts.subtotal + facts.tax - facts.total) > 1)
      problems.push(`subtotal ${facts.subtotal} + tax ${facts.tax} is not the total ${facts.total}`);
  } else if (facts.lines.length > 0 && facts.subtotal === null && facts.tax === null && facts.total !== null) {
    if (Math.abs(linesSum - facts.total) > slack)
      problems.push(`lines add up to ${linesSum}, the total says ${facts.total} (no subtotal or tax on the invoice)`);
  }
  return problems;
}
