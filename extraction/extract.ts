// Extracts an invoice's core fields: from the embedded e-invoice when the PDF carries one
// (ZUGFeRD / Factur-X, UBL), otherwise from the page text.
import { readPdf } from './pdf-document';
import { fieldsFromCii, fieldsFromUbl, structuredKind } from './structured';
import { fieldsFromText } from './text-fields';
import type { ExtractedInvoice } from './types';

export async function extractInvoicePdf(
  bytes: Uint8Array,
  o: { useEmbedded?: boolean } = {},
): Promise<ExtractedInvoice> {
  const pdf = await readPdf(bytes);
  if (o.useEmbedded !== false) {
    for (const a of pdf.attachments) {
      const xml = a.content.toString('utf8');
      const kind = structuredKind(a.name, xml);
      if (!kind) continue;
      const structured = kind === 'cii' ? fieldsFromCii(xml) : fieldsFromUbl(xml);
      // Fields the XML leaves out are still read off the page.
      const fromText = fieldsFromText(pdf.text);
      const fields = { ...fromText, ...Object.fromEntries(Object.entries(structured).filter(([, v]) => v)) };
      return { fields, embedded: a.name, pages: pdf.pages, text: pdf.text };
    }
  }
  return { fields: fieldsFromText(pdf.text), embedded: null, pages: pdf.pages, text: pdf.text };
}

export function extractInvoiceText(text: string): ExtractedInvoice {
  return { fields: fieldsFromText(text), embedded: null, pages: 1, text };
}
