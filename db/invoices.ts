// Invoice documents and the invoice register. The document is stored before its workflow starts
// (the extraction activity reads it from here, so history never carries the bytes); the register
// is what duplicate checks read, written under a per-vendor lock so two copies of one invoice
// submitted at once cannot both miss each other.
import type { Knex } from 'knex';
import type { Outcome } from '../domain/case';

export interface StoredDocument {
  caseId: string;
  sha256: string;
  vendorId: string | null;
  content: Uint8Array;
  pages: number;
  hasTextLayer: boolean;
  submittedBy: string | null;
  at: string;
}

/**
 * Stores an uploaded document for a new case. When the same bytes from the same vendor are
 * already stored for another case, nothing is stored and that case is named: a duplicate
 * submission, counted on the first case.
 */
export async function storeDocument(
  db: Knex,
  doc: StoredDocument,
): Promise<{ stored: true; inserted: boolean } | { stored: false; duplicateOf: string }> {
  const vendorKey = doc.vendorId ?? '';
  const inserted = await db('invoice_documents')
    .insert({
      case_id: doc.caseId,
      sha256: doc.sha256,
      vendor_key: vendorKey,
      content: Buffer.from(doc.content),
      bytes: doc.content.byteLength,
      pages: doc.pages,
      has_text_layer: doc.hasTextLayer,
      submitted_by: doc.submittedBy,
      created_at: doc.at,
    })
    .onConflict()
    .ignore()
    .returning('case_id');
  if (inserted.length > 0) return { stored: true, inserted: true };
  // The case's own document, from an earlier attempt of the same request: the start decides.
  const own = await db('invoice_documents').where({ case_id: doc.caseId }).first('case_id');
  if (own) return { stored: true, inserted: false };
  const first = await db('invoice_documents').where({ sha256: doc.sha256, vendor_key: vendorKey }).first('case_id');
  if (!first) return storeDocument(db, doc); // the other copy was forgotten meanwhile: try again
  await db('invoice_documents')
    .where({ case_id: first.case_id })
    .update({ duplicate_submissions: db.raw('duplicate_submissions + 1'), last_duplicate_at: doc.at });
  return { stored: false, duplicateOf: first.case_id };
}

/** Removes a document whose case could not be started, so a retry is not taken for a duplicate. */
export async function forgetDocument(db: Knex, caseId: string): Promise<void> {
  await db('invoice_documents').where({ case_id: caseId }).delete();
}

export async function getDocument(
  db: Knex,
  caseId: string,
): Promise<{ content: Buffer; sha256: string; bytes: number } | null> {
  const row = await db('invoice_documents').where({ case_id: caseId }).first('content', 'sha256', 'bytes');
  return row ? { content: row.content, sha256: row.sha256, bytes: row.bytes } : null;
}

export interface DocumentFacts {
  sha256: string;
  bytes: number;
  pages: number;
  hasTextLayer: boolean;
  duplicateSubmissions: number;
  lastDuplicateAt: string | null;
}

export async function getDocumentFacts(db: Knex, caseId: string): Promise<DocumentFacts | null> {
  const row = await db('invoice_documents')
    .where({ case_id: caseId })
    .first('sha256', 'bytes', 'pages', 'has_text_layer', 'duplicate_submissions', 'last_duplicate_at');
  if (!row) return null;
  return {
    sha256: row.sha256,
    bytes: row.bytes,
    pages: row.pages,
    hasTextLayer: row.has_text_layer,
    duplicateSubmissions: row.duplicate_submissions,
    lastDuplicateAt: row.last_duplicate_at ? new Date(row.last_duplicate_at).toISOString() : null,
  };
}

export interface RegisteredInvoice {
  caseId: string;
  vendorId: string | null;
  invoiceNumber: string | null;
  total: number | null;
  currency: string | null;
  issueDate: string | null;
  poNumber: string | null;
  at: string;
}

export interface PriorInvoice {
  caseId: string;
  invoiceNumber: string;
  total: number;
  issueDate: string;
}

/**
 * Registers the invoice and returns the vendor's other invoices, in one transaction under the
 * vendor's advisory lock. A retry registers nothing new and sees the same others. Invoices sent
 * back for changes are not counted: their corrected copy is expected.
 */
export async function registerInvoice(db: Knex, invoice: RegisteredInvoice): Promise<PriorInvoice[]> {
  return db.transaction(async (trx) => {
    if (invoice.vendorId) await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`invoice:${invoice.vendorId}`]);
    await trx('invoice_register')
      .insert({
        case_id: invoice.caseId,
        vendor_id: invoice.vendorId,
        invoice_number: invoice.invoiceNumber,
        total: invoice.total,
        currency: invoice.currency,
        issue_date: invoice.issueDate,
        po_number: invoice.poNumber,
        registered_at: invoice.at,
      })
      .onConflict('case_id')
      .ignore();
    if (!invoice.vendorId) return [];
    const rows = await trx('invoice_register')
      .where({ vendor_id: invoice.vendorId })
      .whereNot({ case_id: invoice.caseId })
      .where((scope) => scope.whereNull('outcome').orWhereNot({ outcome: 'changes_requested' }))
      .whereNotNull('invoice_number')
      .whereNotNull('total')
      .whereNotNull('issue_date')
      .select('case_id', 'invoice_number', 'total', 'issue_date');
    return rows.map((row) => ({
      caseId: row.case_id,
      invoiceNumber: row.invoice_number,
      total: Number(row.total),
      issueDate: new Date(row.issue_date).toISOString().slice(0, 10),
    }));
  });
}

/**
 * What became of an invoice: its outcome on the register, and, once approved, its posting: the
 * vendor has one more paid invoice and each matched PO line its invoiced quantity. Once only.
 */
export async function settleInvoice(
  db: Knex,
  settlement: {
    caseId: string;
    outcome: Outcome;
    poNumber: string | null;
    lines: { poLineNo: number; quantity: number }[];
  },
): Promise<void> {
  await db.transaction(async (trx) => {
    const approved = settlement.outcome === 'approved' || settlement.outcome === 'auto_decided';
    const updated = await trx('invoice_register')
      .where({ case_id: settlement.caseId, posted: false })
      .whereNull('outcome')
      .update({ outcome: settlement.outcome, posted: approved })
      .returning('vendor_id');
    if (updated.length === 0 || !approved) return;
    const vendorId = updated[0].vendor_id as string | null;
    if (vendorId) await trx('vendors').where({ vendor_id: vendorId }).increment('invoices_paid', 1);
    if (!settlement.poNumber) return;
    for (const line of settlement.lines) {
      await trx('purchase_order_lines')
        .where({ po_number: settlement.poNumber, line_no: line.poLineNo })
        .increment('invoiced_quantity', line.quantity);
    }
  });
}

/** The vendor an invoice names, by tax id first, then by exact name (case-insensitive). */
export async function findVendorId(
  db: Knex,
  by: { taxId: string | null; name: string | null },
): Promise<string | null> {
  if (by.taxId) {
    const row = await db('vendors')
      .whereRaw("upper(replace(tax_id, ' ', '')) = ?", [by.taxId.replace(/\s+/g, '').toUpperCase()])
      .first('vendor_id');
    if (row) return row.vendor_id;
  }
  if (by.name) {
    const rows = await db('vendors').whereRaw('lower(name) = ?', [by.name.trim().toLowerCase()]).select('vendor_id');
    if (rows.length === 1) return rows[0].vendor_id;
  }
  return null;
}
