// An invoice as a case: what the API takes in, what extraction reads off the document, and the
// agent's assessment that routing and the reviewer work from. Shared by the API, the invoice
// workflow and its activities. Amounts are integers in minor units of the invoice's currency.
import type { Suggestion } from '../case';
import type { FraudAssessment } from './fraud';
import type { InvoiceLine, MatchResult } from './po-matching';

export type UnreadableReason = 'no_text_layer' | 'extraction_failed';

/** What the agent proposes for an invoice: pay it, or hold it for people. */
export const INVOICE_CATEGORIES = ['pay', 'hold'] as const;
export type InvoiceCategory = (typeof INVOICE_CATEGORIES)[number];

/** The uploaded file as the intake check found it; the bytes stay in PostgreSQL, not in history. */
export interface InvoiceDocument {
  sha256: string;
  bytes: number;
  pages: number;
  hasTextLayer: boolean;
}

export interface InvoiceInput {
  externalId: string;
  /** The vendor as the submitter names it; the invoice's own text may say otherwise. */
  vendorId: string | null;
  poNumber: string | null;
  /** Who submitted it: never one of its approvers (separation of duties). */
  submittedBy: string | null;
  receivedAt: string;
  document: InvoiceDocument;
}

/** An extracted field as the case keeps it: the value, its confidence and where it came from. */
export interface ReadField {
  value: string | number;
  confidence: number;
  source: string;
  evidence: string;
}

/** The invoice's facts as read, normalised for the checks (null: not found). */
export interface InvoiceFacts {
  vendorName: string | null;
  vendorTaxId: string | null;
  invoiceNumber: string | null;
  issueDate: string | null;
  dueDate: string | null;
  currency: string | null;
  subtotal: number | null;
  tax: number | null;
  total: number | null;
  poNumber: string | null;
  iban: string | null;
  remitTo: string | null;
  paymentTerms: string | null;
  lines: (InvoiceLine & { amount: number })[];
}

export interface InvoiceExtraction {
  extractorVersion: string;
  facts: InvoiceFacts;
  fields: Record<string, ReadField>;
  /** Name of the embedded e-invoice the fields came from, when there was one. */
  embedded: string | null;
  /** Fields below their confidence threshold, missing required fields, amounts that do not reconcile. */
  problems: string[];
  /** The page text, for the language the fraud rules look for (not kept in the case row). */
  text: string;
}

/** The agent's assessment of an invoice: the proposal, and every finding it rests on. */
export interface InvoiceAssessment extends Suggestion {
  category: InvoiceCategory;
  /** The vendor the checks used: the submitter's, else the one the master finds by tax id or name. */
  vendorId: string | null;
  invoice: InvoiceFacts;
  fields: Record<string, ReadField>;
  extractionProblems: string[];
  match: MatchResult;
  fraud: FraudAssessment;
  /** How many distinct people must approve when people do, and why. */
  approvers: { count: 1 | 2; reason: string };
  /** The assessment in sentences, for the reviewer and the audit trail: what was read, matched, found. */
  explanation: string[];
  /** Why nothing could be read (a scan, or extraction failed for good); null when it was read. */
  unreadable: UnreadableReason | null;
}
