// Renders a corpus invoice as a one-page PDF with pdf-lib, in the plain layout small vendors
// send: header, labelled fields, line items, total, bank details, a note.
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { CorpusInvoice } from './fraud-corpus';

const money = (minor: number) => (minor / 100).toFixed(2);
const dayFirst = (iso: string) => iso.split('-').reverse().join('/');

export async function renderInvoicePdf(invoice: CorpusInvoice): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  let y = 800;
  const write = (text: string, size = 10) => {
    page.drawText(text, { x: 50, y, size, font });
    y -= size + 8;
  };
  write(invoice.vendorName, 16);
  write(`Remit to: ${invoice.remitTo}`);
  y -= 10;
  write('INVOICE', 14);
  write(`Invoice No: ${invoice.invoiceNumber}`);
  write(`Invoice Date: ${dayFirst(invoice.issueDate)}`);
  write(`PO Number: ${invoice.poNumber}`);
  write(`Payment terms: ${invoice.paymentTerms}`);
  write(`Due date: ${dayFirst(invoice.dueDate)}`);
  y -= 10;
  for (const line of invoice.lines) {
    write(`${line.description}   ${line.quantity} x ${money(line.unitPrice)} EUR   ${money(line.amount)} EUR`);
  }
  y -= 10;
  write(`Total amount due: ${money(invoice.total)} EUR`, 12);
  y -= 10;
  write(`IBAN: ${invoice.iban.replace(/(.{4})/g, '$1 ').trim()}`);
  write(invoice.note);
  return pdf.save();
}
