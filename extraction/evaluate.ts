// Checks extracted invoice fields and their confidences against real invoices' ground truth:
// invoice2data's fixtures (template-extracted fields) and the ZUGFeRD samples (their CII XML).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractInvoicePdf, extractInvoiceText } from './extract';
import { INVOICE_FIELDS, type ExtractedInvoice, type InvoiceField } from './types';

export interface Truth {
  document: string;
  fields: Partial<Record<InvoiceField, string | number>>;
  load(useEmbedded: boolean): Promise<ExtractedInvoice>;
}

export function invoice2dataTruth(dir: string): Truth[] {
  return readFileSync(join(dir, 'ground_truth.derived.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const g = JSON.parse(line);
      const path = join(dir, g.file);
      return {
        document: `invoice2data/${g.file}`,
        fields: clean({
          invoiceNumber: g.invoice_number,
          issueDate: g.date,
          seller: g.issuer,
          currency: g.currency,
          total: g.amount,
        }),
        load: (useEmbedded) =>
          path.endsWith('.txt')
            ? Promise.resolve(extractInvoiceText(readFileSync(path, 'utf8')))
            : extractInvoicePdf(readFileSync(path), { useEmbedded }),
      };
    });
}

export function zugferdTruth(dir: string): Truth[] {
  return readFileSync(join(dir, 'ground_truth.derived.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const g = JSON.parse(line);
      return {
        document: `zugferd/${g.pdf}`,
        fields: clean({
          invoiceNumber: g.invoice_number,
          issueDate: g.issue_date,
          seller: g.seller_name,
          currency: g.currency,
          total: g.grand_total,
        }),
        load: (useEmbedded: boolean) => extractInvoicePdf(readFileSync(join(dir, g.pdf)), { useEmbedded }),
      };
    })
    .filter((t) => existsSync(join(dir, t.document.replace(/^zugferd\//, ''))));
}

function clean(fields: Record<string, unknown>): Partial<Record<InvoiceField, string | number>> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== null && v !== undefined && v !== ''),
  ) as never;
}

const norm = (s: unknown) => String(s).toLowerCase().replace(/^#\s*/, '').replace(/\s+/g, ' ').trim();

export function matches(field: InvoiceField, got: string | number, want: string | number): boolean {
  if (field === 'total') return Math.abs(Number(got) - Number(want)) < 0.01;
  if (field === 'seller') return norm(got).includes(norm(want)) || norm(want).includes(norm(got));
  return norm(got) === norm(want);
}

export interface FieldCheck {
  document: string;
  field: InvoiceField;
  source: string;
  confidence: number;
  correct: boolean;
  got: string | number;
  want: string | number;
}

export async function checkFields(
  truths: Truth[],
  useEmbedded: boolean,
): Promise<{ checks: FieldCheck[]; missing: { document: string; field: InvoiceField }[] }> {
  const checks: FieldCheck[] = [];
  const missing: { document: string; field: InvoiceField }[] = [];
  for (const t of truths) {
    const got = await t.load(useEmbedded);
    for (const field of INVOICE_FIELDS) {
      const want = t.fields[field];
      if (want === undefined) continue;
      const f = got.fields[field];
      if (!f) missing.push({ document: t.document, field });
      else
        checks.push({
          document: t.document,
          field,
          source: f.source,
          confidence: f.confidence,
          correct: matches(field, f.value, want),
          got: f.value,
          want,
        });
    }
  }
  return { checks, missing };
}

/** Accuracy against stated confidence, per confidence level: the check the confidences must pass. */
export function byConfidence(checks: FieldCheck[]) {
  const levels = [...new Set(checks.map((c) => c.confidence))].sort((a, b) => b - a);
  return levels.map((confidence) => {
    const at = checks.filter((c) => c.confidence === confidence);
    return { confidence, fields: at.length, accuracy: +(at.filter((c) => c.correct).length / at.length).toFixed(3) };
  });
}

export function byField(checks: FieldCheck[], missing: { field: InvoiceField }[]) {
  return INVOICE_FIELDS.map((field) => {
    const at = checks.filter((c) => c.field === field);
    const absent = missing.filter((m) => m.field === field).length;
    return {
      field,
      documents: at.length + absent,
      extracted: at.length,
      accuracy: at.length ? +(at.filter((c) => c.correct).length / at.length).toFixed(3) : null,
      meanConfidence: at.length ? +(at.reduce((s, c) => s + c.confidence, 0) / at.length).toFixed(3) : null,
    };
  });
}
