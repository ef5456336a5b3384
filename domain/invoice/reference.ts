// The reference data an invoice is checked against: the vendor master, purchase orders and goods
// receipts, as the pure rules read them (amounts in minor units of the invoice's currency, so
// sums and tolerances never meet floating-point cents).

export type VendorStatus = 'active' | 'blocked';

export interface BankAccount {
  iban: string;
  /** When the vendor master took this account; the newest is the one in force. */
  since: string;
}

export interface Vendor {
  vendorId: string;
  name: string;
  taxId: string | null;
  status: VendorStatus;
  /** Postal addresses, normalised for comparison by `normaliseAddress`. */
  addresses: string[];
  /** Every account the master has held, oldest first; the last one is in force. */
  bankAccounts: BankAccount[];
  /** When the vendor was first seen; a vendor with no invoices paid yet counts as new. */
  firstSeen: string;
  invoicesPaid: number;
  /** Payment terms agreed with the vendor, e.g. 'Net 30'. */
  paymentTerms: string | null;
}

export interface PurchaseOrderLine {
  lineNo: number;
  description: string;
  quantity: number;
  /** Unit price in minor units. */
  unitPrice: number;
  /** Quantity already invoiced against this line. */
  invoicedQuantity: number;
}

export interface PurchaseOrder {
  poNumber: string;
  vendorId: string;
  currency: string;
  issuedOn: string;
  lines: PurchaseOrderLine[];
}

export interface GoodsReceipt {
  poNumber: string;
  lineNo: number;
  quantity: number;
  receivedOn: string;
}

/** Lower case, punctuation and runs of space folded, so "12 Main St." and "12 main st" match. */
export function normaliseAddress(address: string): string {
  return address
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** IBANs compared without spaces and case. */
export function normaliseIban(iban: string): string {
  return iban.replace(/\s+/g, '').toUpperCase();
}
