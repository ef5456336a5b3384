// Invoice PDFs for tests, rendered with pdf-lib in the plain layout of the fraud corpus, and the
// upload as a client sends it (multipart/form-data). Each builder starts from a clean invoice
// for the demo vendor Acme and PO; a test changes only what its case is about.
import { randomBytes } from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { CorpusInvoice } from '../../evaluation/fraud-corpus';
import { renderInvoicePdf } from '../../evaluation/invoice-pdf';
import { KEYS } from './stack';

export type TestInvoice = Omit<CorpusInvoice, 'lines' | 'total' | 'id' | 'fraud' | 'currency'> & {
  lines: { description: string; quantity: number; unitPrice: number }[];
};

let cents = 0;

/**
 * A clean invoice from the seeded vendor Acme (V-ACME), billing `poNumber` for laptop stands at
 * 45.00 on the PO. Each invoice's unit price is a few cents higher than the last one's (within the
 * price tolerance), so no two have the same total: that would be a possible duplicate.
 */
export function acmeInvoice(poNumber: string, overrides: Partial<TestInvoice> = {}): TestInvoice {
  cents = (cents % 99) + 1;
  return {
    vendorId: 'V-ACME',
    vendorName: 'Acme Office Supply GmbH',
    invoiceNumber: `ACME-${randomBytes(4).toString('hex').toUpperCase()}`,
    issueDate: '2026-11-02',
    dueDate: '2026-12-02',
    poNumber,
    lines: [{ description: 'Laptop stand', quantity: 2, unitPrice: 45_00 + cents }],
    iban: 'DE89370400440532013000',
    remitTo: 'Hauptstr. 1, 10115 Berlin, DE',
    paymentTerms: 'Net 30',
    note: 'Thank you for your business.',
    ...overrides,
  };
}

export function invoicePdf(invoice: TestInvoice): Promise<Uint8Array> {
  const lines = invoice.lines.map((line) => ({ ...line, amount: line.quantity * line.unitPrice }));
  return renderInvoicePdf({
    ...invoice,
    id: invoice.invoiceNumber,
    currency: 'EUR',
    lines,
    total: lines.reduce((sum, line) => sum + line.amount, 0),
    fraud: null,
  });
}

/** A PDF with many pages of text after the invoice page: extraction takes a while. */
export async function longInvoicePdf(invoice: TestInvoice, extraPages: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.load(await invoicePdf(invoice));
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= extraPages; n++) {
    const page = pdf.addPage([595, 842]);
    for (let row = 0; row < 60; row++) {
      page.drawText(`Annex ${n}, clause ${row}: terms and conditions of delivery as agreed.`, {
        x: 40,
        y: 800 - row * 12,
        size: 9,
        font,
      });
    }
  }
  return pdf.save();
}

/** A page with only a drawing on it: a scan, as far as text goes. */
export async function scannedPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.addPage([595, 842]).drawRectangle({ x: 50, y: 500, width: 300, height: 200 });
  return pdf.save();
}

export interface InvoiceUpload {
  externalId?: string;
  vendorId?: string;
  poNumber?: string;
  submittedBy?: string;
}

/** POSTs an invoice as multipart/form-data; a null file sends the form without one. */
export async function postInvoice(
  apiUrl: string,
  file: Uint8Array | null,
  form: InvoiceUpload = {},
  key: string = KEYS.service,
): Promise<{ status: number; body: any }> {
  const data = new FormData();
  for (const [name, value] of Object.entries({ externalId: `inv-${randomBytes(5).toString('hex')}`, ...form })) {
    if (value !== undefined) data.append(name, value);
  }
  if (file) data.append('file', new Blob([file], { type: 'application/pdf' }), 'invoice.pdf');
  const res = await fetch(`${apiUrl}/v1/invoices`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: data,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: the test asserts on the raw text.
  }
  return { status: res.status, body };
}
