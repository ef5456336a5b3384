// Everything the invoice workflow reads off a PDF, in one pass: the core fields (from the embedded
// e-invoice when there is one, else the page text), the payment fields, subtotal, tax and the
// seller's tax id, and the line items; normalised into facts (amounts in minor units) with the
// problems that keep the agent from acting on them alone.
import { extractionProblems } from '../domain/invoice/extraction-checks';
import type { InvoiceExtraction, InvoiceFacts, ReadField } from '../domain/invoice/types';
import { amountFieldsFromText } from './amount-fields';
import { extractInvoicePdf } from './extract';
import { lineItemsFromText } from './line-items';
import { paymentFieldsFromText } from './payment-fields';
import type { ExtractedField } from './types';

/** Recorded with every extraction: which rules read the invoice. */
export const EXTRACTOR_VERSION = 'invoice-extraction/1';

const minor = (amount: number) => Math.round(amount * 100);

function text(fields: Record<string, ReadField>, name: string): string | null {
  const read = fields[name];
  return read === undefined ? null : String(read.value);
}

function amount(fields: Record<string, ReadField>, name: string): number | null {
  const read = fields[name];
  return read !== undefined && typeof read.value === 'number' ? minor(read.value) : null;
}

export async function readInvoice(bytes: Uint8Array): Promise<InvoiceExtraction> {
  const extracted = await extractInvoicePdf(bytes);
  const fromText = { ...paymentFieldsFromText(extracted.text), ...amountFieldsFromText(extracted.text) };
  // The embedded e-invoice wins where it says something; the page fills in the rest.
  const fields: Record<string, ReadField> = Object.fromEntries(
    Object.entries({ ...fromText, ...extracted.fields }).filter(
      (entry): entry is [string, ExtractedField] => entry[1] !== undefined,
    ),
  );
  const items = lineItemsFromText(extracted.text);
  if (items.items.length > 0) {
    fields.lines = {
      value: items.items.length,
      confidence: items.confidence,
      source: 'text',
      evidence: `${items.items.length} lines where quantity × unit price = amount`,
    };
  }
  const facts: InvoiceFacts = {
    vendorName: text(fields, 'seller'),
    vendorTaxId: text(fields, 'vendorTaxId'),
    invoiceNumber: text(fields, 'invoiceNumber'),
    issueDate: text(fields, 'issueDate'),
    dueDate: text(fields, 'dueDate'),
    currency: text(fields, 'currency'),
    subtotal: amount(fields, 'subtotal'),
    tax: amount(fields, 'tax'),
    total: amount(fields, 'total'),
    poNumber: text(fields, 'poNumber'),
    iban: text(fields, 'iban'),
    remitTo: text(fields, 'remitTo'),
    paymentTerms: text(fields, 'paymentTerms'),
    lines: items.items.map(({ description, quantity, unitPrice, amount: lineAmount }) => ({
      description,
      quantity,
      unitPrice,
      amount: lineAmount,
    })),
  };
  return {
    extractorVersion: EXTRACTOR_VERSION,
    facts,
    fields,
    embedded: extracted.embedded,
    problems: extractionProblems(fields, facts),
    text: extracted.text,
  };
}
