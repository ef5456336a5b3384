// Demo reference data for a fresh development database: a few vendors (one long-standing, one
// new, one blocked, one sharing another's address), their bank accounts, purchase orders with
// lines, and goods receipts. Written once, only into an empty vendor master.
import type { Knex } from 'knex';
import { addBankAccount, addReceipt, insertPurchaseOrder, upsertVendor } from './reference';

const DEMO_VENDORS = [
  {
    vendorId: 'V-ACME',
    name: 'Acme Office Supply GmbH',
    taxId: 'DE123456789',
    status: 'active' as const,
    addresses: ['Hauptstr. 1, 10115 Berlin, DE'],
    paymentTerms: 'Net 30',
    iban: 'DE89370400440532013000',
    invoicesPaid: 24,
  },
  {
    vendorId: 'V-NORD',
    name: 'Nordlicht IT Services AG',
    taxId: 'DE987654321',
    status: 'active' as const,
    addresses: ['Elbchaussee 5, 22763 Hamburg, DE'],
    paymentTerms: 'Net 14',
    iban: 'DE02120300000000202051',
    invoicesPaid: 7,
  },
  {
    vendorId: 'V-FRESH',
    name: 'Fresh Start Consulting Ltd',
    taxId: null,
    status: 'active' as const,
    addresses: ['1 New Street, London EC1A 1AA, GB'],
    paymentTerms: null,
    iban: 'GB33BUKB20201555555555',
    invoicesPaid: 0,
  },
  {
    vendorId: 'V-BLOCKED',
    name: 'Shady Supplies SARL',
    taxId: 'FR12345678901',
    status: 'blocked' as const,
    addresses: ['Elbchaussee 5, 22763 Hamburg, DE'],
    paymentTerms: 'Prepayment',
    iban: 'FR1420041010050500013M02606',
    invoicesPaid: 2,
  },
];

/** Seeds the demo reference data when the vendor master is empty; true when it did. */
export async function seedDemoReference(db: Knex): Promise<boolean> {
  const existing = await db('vendors').count({ n: '*' }).first();
  if (Number(existing?.n ?? 0) > 0) return false;
  const since = new Date('2024-01-02T09:00:00Z');
  await db.transaction(async (trx) => {
    for (const { iban, invoicesPaid, ...vendor } of DEMO_VENDORS) {
      await upsertVendor(trx, vendor, since);
      await trx('vendors').where({ vendor_id: vendor.vendorId }).update({ invoices_paid: invoicesPaid });
      await addBankAccount(trx, vendor.vendorId, iban, 'seed', since);
    }
    await insertPurchaseOrder(trx, {
      poNumber: 'PO-1001',
      vendorId: 'V-ACME',
      currency: 'EUR',
      issuedOn: '2026-10-01',
      lines: [
        { lineNo: 1, description: 'Laptop stand', quantity: 10, unitPrice: 45_00 },
        { lineNo: 2, description: 'USB-C dock', quantity: 5, unitPrice: 120_00 },
      ],
    });
    await addReceipt(trx, { poNumber: 'PO-1001', lineNo: 1, quantity: 10, receivedOn: '2026-10-08' });
    await addReceipt(trx, { poNumber: 'PO-1001', lineNo: 2, quantity: 5, receivedOn: '2026-10-08' });
    await insertPurchaseOrder(trx, {
      poNumber: 'PO-2001',
      vendorId: 'V-NORD',
      currency: 'EUR',
      issuedOn: '2026-09-15',
      lines: [{ lineNo: 1, description: 'Managed backup, monthly', quantity: 12, unitPrice: 850_00 }],
    });
  });
  return true;
}
