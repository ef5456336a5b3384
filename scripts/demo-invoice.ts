// `npm run demo:invoice`: writes reports/demo-invoice.pdf, a clean invoice from the demo vendor
// Acme (V-ACME) billing two laptop stands on the seeded PO-1001, for the Quickstart's curl.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderInvoicePdf } from '../evaluation/invoice-pdf';

async function main(): Promise<void> {
  const out = resolve(__dirname, '..', 'reports');
  mkdirSync(out, { recursive: true });
  const number = `ACME-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${process.pid}`;
  const pdf = await renderInvoicePdf({
    id: number,
    vendorId: 'V-ACME',
    vendorName: 'Acme Office Supply GmbH',
    invoiceNumber: number,
    issueDate: new Date().toISOString().slice(0, 10),
    dueDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
    poNumber: 'PO-1001',
    currency: 'EUR',
    lines: [{ poLineNo: 1, description: 'Laptop stand', quantity: 2, unitPrice: 45_00, amount: 90_00 }],
    total: 90_00,
    iban: 'DE89370400440532013000',
    remitTo: 'Hauptstr. 1, 10115 Berlin, DE',
    paymentTerms: 'Net 30',
    note: 'Thank you for your business.',
    fraud: null,
  });
  const path = join(out, 'demo-invoice.pdf');
  writeFileSync(path, pdf);
  console.log(`wrote ${path} (invoice ${number}, 90.00 EUR, PO-1001)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
