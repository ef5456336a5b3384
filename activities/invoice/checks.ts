// The invoice's checks against reference data: the vendor it names, the PO match and the fraud
// score. Reads of PostgreSQL around the pure rules in domain/invoice; the fraud check also
// registers the invoice so that the next copy of it is found as a duplicate.
import type { Knex } from 'knex';
import { findVendorId, registerInvoice } from '../../db/invoices';
import { getPurchaseOrder, getVendor, listReceipts, otherVendorAddresses } from '../../db/reference';
import { approvalLimits } from '../../domain/invoice/approval';
import { assessFraud } from '../../domain/invoice/fraud';
import { matchInvoice } from '../../domain/invoice/po-matching';
import type { InvoiceActivities } from '../../workflows/activity-types';

export function checkActivities(db: Knex): Pick<InvoiceActivities, 'findVendor' | 'matchPurchaseOrder' | 'scoreFraud'> {
  return {
    findVendor: (by) => findVendorId(db, by),
    async matchPurchaseOrder({ poNumber, vendorId, currency, lines, tolerances }) {
      const po = poNumber ? await getPurchaseOrder(db, poNumber) : null;
      const receipts = po ? await listReceipts(db, po.poNumber) : [];
      return {
        match: matchInvoice({ poNumber, vendorId, currency, lines, po, receipts, tolerances }),
        poIssuedOn: po?.issuedOn ?? null,
      };
    },
    async scoreFraud({ caseId, vendorId, facts, text, poIssuedOn, policy, at }) {
      const [vendor, others, priors] = await Promise.all([
        vendorId ? getVendor(db, vendorId) : null,
        otherVendorAddresses(db, vendorId),
        registerInvoice(db, {
          caseId,
          vendorId,
          invoiceNumber: facts.invoiceNumber,
          total: facts.total,
          currency: facts.currency,
          issueDate: realDate(facts.issueDate),
          poNumber: facts.poNumber,
          at,
        }),
      ]);
      return assessFraud({
        invoice: {
          vendorId,
          invoiceNumber: facts.invoiceNumber,
          issueDate: facts.issueDate,
          total: facts.total,
          iban: facts.iban,
          remitTo: facts.remitTo,
          paymentTerms: facts.paymentTerms,
          text,
        },
        vendor,
        otherVendorAddresses: others,
        priorInvoices: priors,
        poIssuedOn,
        approvalLimits: approvalLimits(policy.approval),
        duplicateWindowDays: policy.duplicateWindowDays,
      });
    },
  };
}

/** A date PostgreSQL takes: "2026-02-31" reads as a date off a page but is none. */
function realDate(iso: string | null): string | null {
  if (!iso) return null;
  const parsed = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === iso ? iso : null;
}
