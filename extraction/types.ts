// Invoice fields as the extractor returns them: each with a value, a confidence and where it came
// from, so routing can treat a total read from embedded structured data differently from a guess.

export const INVOICE_FIELDS = ['invoiceNumber', 'issueDate', 'seller', 'currency', 'total'] as const;
export type InvoiceField = (typeof INVOICE_FIELDS)[number];

export type FieldSource = 'embedded_xml' | 'text';

export interface ExtractedField<T = string | number> {
  value: T;
  /** Probability the value is right, per the tiers measured on real invoices (docs/model.md). */
  confidence: number;
  source: FieldSource;
  /** The rule or element that produced the value, for the reviewer and the audit trail. */
  evidence: string;
}

export interface ExtractedInvoice {
  fields: Partial<Record<InvoiceField, ExtractedField>>;
  /** Name of the embedded e-invoice (ZUGFeRD / Factur-X CII or UBL), when there was one. */
  embedded: string | null;
  pages: number;
  /** The page text the fields were read from (also where the payment fields and lines come from). */
  text: string;
}
