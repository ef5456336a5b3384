// The vendor master, purchase orders and goods receipts: written by ops through the API (and the
// demo seed), read by the invoice checks. Each write is one transaction: a PO is stored with all
// its lines or not at all.
import type { Knex } from 'knex';
import type { GoodsReceipt, PurchaseOrder, Vendor, VendorStatus } from '../domain/invoice/reference';
import { normaliseIban } from '../domain/invoice/reference';

export interface VendorWrite {
  vendorId: string;
  name: string;
  taxId: string | null;
  status: VendorStatus;
  addresses: string[];
  paymentTerms: string | null;
}

/** Creates or updates a vendor; true when it was new. A new vendor is first seen now. */
export async function upsertVendor(db: Knex, vendor: VendorWrite, at: Date): Promise<boolean> {
  const row = {
    vendor_id: vendor.vendorId,
    name: vendor.name,
    tax_id: vendor.taxId,
    status: vendor.status,
    addresses: JSON.stringify(vendor.addresses),
    payment_terms: vendor.paymentTerms,
    updated_at: at,
  };
  const inserted = await db('vendors')
    .insert({ ...row, first_seen: at })
    .onConflict('vendor_id')
    .merge(row)
    .returning(db.raw('(xmax = 0) as created'));
  return Boolean(inserted[0]?.created);
}

/** Records a new bank account for the vendor; the newest is the one in force, the older ones stay. */
export async function addBankAccount(db: Knex, vendorId: string, iban: string, changedBy: string, at: Date) {
  await db('vendor_bank_accounts').insert({
    vendor_id: vendorId,
    iban: normaliseIban(iban),
    changed_by: changedBy,
    since: at,
  });
}

export async function getVendor(
  db: Knex,
  vendorId: string,
): Promise<(Vendor & { bankAccountChanges: { iban: string; since: string; changedBy: string }[] }) | null> {
  const row = await db('vendors').where({ vendor_id: vendorId }).first();
  if (!row) return null;
  const accounts = await db('vendor_bank_accounts')
    .where({ vendor_id: vendorId })
    .orderBy([{ column: 'since' }, { column: 'id' }]);
  return {
    vendorId: row.vendor_id,
    name: row.name,
    taxId: row.tax_id,
    status: row.status,
    addresses: row.addresses,
    bankAccounts: accounts.map((account) => ({ iban: account.iban, since: new Date(account.since).toISOString() })),
    bankAccountChanges: accounts.map((account) => ({
      iban: account.iban,
      since: new Date(account.since).toISOString(),
      changedBy: account.changed_by,
    })),
    firstSeen: new Date(row.first_seen).toISOString(),
    invoicesPaid: row.invoices_paid,
    paymentTerms: row.payment_terms,
  };
}

export async function listVendors(
  db: Knex,
  limit: number,
): Promise<{ vendorId: string; name: string; status: VendorStatus }[]> {
  const rows = await db('vendors').orderBy('vendor_id').limit(limit).select('vendor_id', 'name', 'status');
  return rows.map((row) => ({ vendorId: row.vendor_id, name: row.name, status: row.status }));
}

/** Every other vendor's addresses: a remit-to address shared with another vendor is a fraud signal. */
export async function otherVendorAddresses(
  db: Knex,
  vendorId: string | null,
): Promise<{ vendorId: string; address: string }[]> {
  const rows = await db('vendors')
    .whereNot('vendor_id', vendorId ?? '')
    .select('vendor_id', 'addresses');
  return rows.flatMap((row) => (row.addresses as string[]).map((address) => ({ vendorId: row.vendor_id, address })));
}

export interface PurchaseOrderWrite {
  poNumber: string;
  vendorId: string;
  currency: string;
  issuedOn: string;
  lines: { lineNo: number; description: string; quantity: number; unitPrice: number }[];
}

/** Stores a new PO with its lines in one transaction; false when the number is taken. */
export async function insertPurchaseOrder(db: Knex, po: PurchaseOrderWrite): Promise<boolean> {
  return db.transaction(async (trx) => {
    const inserted = await trx('purchase_orders')
      .insert({ po_number: po.poNumber, vendor_id: po.vendorId, currency: po.currency, issued_on: po.issuedOn })
      .onConflict('po_number')
      .ignore()
      .returning('po_number');
    if (inserted.length === 0) return false;
    await trx('purchase_order_lines').insert(
      po.lines.map((line) => ({
        po_number: po.poNumber,
        line_no: line.lineNo,
        description: line.description,
        quantity: line.quantity,
        unit_price: line.unitPrice,
      })),
    );
    return true;
  });
}

export async function getPurchaseOrder(db: Knex, poNumber: string): Promise<PurchaseOrder | null> {
  const row = await db('purchase_orders').where({ po_number: poNumber }).first();
  if (!row) return null;
  const lines = await db('purchase_order_lines').where({ po_number: poNumber }).orderBy('line_no');
  return {
    poNumber: row.po_number,
    vendorId: row.vendor_id,
    currency: row.currency,
    issuedOn: isoDate(row.issued_on),
    lines: lines.map((line) => ({
      lineNo: line.line_no,
      description: line.description,
      quantity: Number(line.quantity),
      unitPrice: Number(line.unit_price),
      invoicedQuantity: Number(line.invoiced_quantity),
    })),
  };
}

export async function addReceipt(db: Knex, receipt: GoodsReceipt): Promise<void> {
  await db('goods_receipts').insert({
    po_number: receipt.poNumber,
    line_no: receipt.lineNo,
    quantity: receipt.quantity,
    received_on: receipt.receivedOn,
  });
}

export async function listReceipts(db: Knex, poNumber: string): Promise<GoodsReceipt[]> {
  const rows = await db('goods_receipts').where({ po_number: poNumber }).orderBy('id');
  return rows.map((row) => ({
    poNumber: row.po_number,
    lineNo: row.line_no,
    quantity: Number(row.quantity),
    receivedOn: isoDate(row.received_on),
  }));
}

/** A DATE column as YYYY-MM-DD, whatever the driver hands back. */
function isoDate(value: Date | string): string {
  if (typeof value === 'string') return value.slice(0, 10);
  const local = new Date(value.getTime() - value.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}
