// The fraud evaluation: every corpus invoice is rendered to PDF, checked and read like an upload,
// then put through the very rules the invoice workflow runs (read, match, score, assess, route in
// `normal`), with the corpus's reference data in place of the database. What counts: fraud the
// agent would have approved alone (target: none), and the share of clean, matched invoices under
// the limit it approves alone (target ≥ 80%).
import { approvalLimits } from '../domain/invoice/approval';
import { assessInvoice, holdReasons, routeInvoice } from '../domain/invoice/assessment';
import { assessFraud, type FraudSignalName } from '../domain/invoice/fraud';
import { DEFAULT_INVOICE_POLICY } from '../domain/invoice/policy';
import { matchInvoice } from '../domain/invoice/po-matching';
import { checkInvoicePdf } from '../extraction/pdf-intake';
import { readInvoice } from '../extraction/read-invoice';
import { buildCorpus, FRAUD_KINDS, type Corpus, type CorpusInvoice, type FraudKind } from './fraud-corpus';
import { renderInvoicePdf } from './invoice-pdf';

export interface InvoiceVerdict {
  id: string;
  fraud: FraudKind | null;
  autoApproved: boolean;
  signals: FraudSignalName[];
  score: number;
  matched: boolean;
  reasons: string[];
  /** Fields read off the PDF that differ from what the corpus wrote. */
  misread: string[];
}

async function judge(invoice: CorpusInvoice, corpus: Corpus): Promise<InvoiceVerdict> {
  const bytes = await renderInvoicePdf(invoice);
  const checked = await checkInvoicePdf(bytes);
  if (!checked.ok) throw new Error(`${invoice.id}: the generated PDF was refused: ${checked.message}`);
  // What the workflow's activities do, without the database: read, match, score, assess, route.
  const extraction = await readInvoice(bytes);
  const { facts } = extraction;
  const misread = [
    facts.invoiceNumber !== invoice.invoiceNumber && 'invoiceNumber',
    facts.issueDate !== invoice.issueDate && 'issueDate',
    facts.total !== invoice.total && 'total',
    facts.iban !== invoice.iban && 'iban',
    facts.poNumber !== invoice.poNumber && 'poNumber',
    facts.remitTo !== invoice.remitTo && 'remitTo',
    !sameLines(facts.lines, invoice.lines) && 'lines',
  ].filter((name): name is string => Boolean(name));
  const vendor = corpus.vendors.find((candidate) => candidate.vendorId === invoice.vendorId) ?? null;
  const po = corpus.purchaseOrders.find((candidate) => candidate.poNumber === facts.poNumber) ?? null;
  const match = matchInvoice({
    poNumber: facts.poNumber,
    vendorId: invoice.vendorId,
    currency: facts.currency,
    lines: facts.lines,
    po,
    receipts: [],
    tolerances: DEFAULT_INVOICE_POLICY.tolerances,
  });
  const fraud = assessFraud({
    invoice: { vendorId: invoice.vendorId, ...facts, text: extraction.text },
    vendor,
    otherVendorAddresses: corpus.vendors
      .filter((candidate) => candidate.vendorId !== invoice.vendorId)
      .flatMap((candidate) => candidate.addresses.map((address) => ({ vendorId: candidate.vendorId, address }))),
    priorInvoices: corpus.priorInvoices[invoice.vendorId] ?? [],
    poIssuedOn: po?.issuedOn ?? null,
    approvalLimits: approvalLimits(DEFAULT_INVOICE_POLICY.approval),
    duplicateWindowDays: DEFAULT_INVOICE_POLICY.duplicateWindowDays,
  });
  const assessment = assessInvoice({
    extraction,
    vendorId: invoice.vendorId,
    match,
    fraud,
    policy: DEFAULT_INVOICE_POLICY,
  });
  const route = routeInvoice(assessment, 'normal', DEFAULT_INVOICE_POLICY);
  return {
    id: invoice.id,
    fraud: invoice.fraud,
    autoApproved: route.route === 'auto',
    signals: fraud.signals.map((signal) => signal.name),
    score: fraud.score,
    matched: match.status === 'matched',
    reasons: holdReasons(assessment, 'normal', DEFAULT_INVOICE_POLICY),
    misread,
  };
}

function sameLines(read: CorpusInvoice['lines'], written: CorpusInvoice['lines']): boolean {
  return (
    read.length === written.length &&
    read.every(
      (line, index) =>
        line.description === written[index].description &&
        line.quantity === written[index].quantity &&
        line.unitPrice === written[index].unitPrice,
    )
  );
}

export interface FraudEvaluation {
  invoices: number;
  fraudulent: number;
  fraudSentToPeople: number;
  fraudRecall: number;
  cleanMatchedUnderLimit: number;
  cleanAutoApproved: number;
  cleanAutoApprovalShare: number;
  /** Clean invoices overall (some above the auto-approval limit) and how many the agent approved. */
  clean: number;
  cleanApprovedAlone: number;
  byKind: { kind: FraudKind; invoices: number; sentToPeople: number; signalsSeen: string }[];
  misreadFields: Record<string, number>;
  verdicts: InvoiceVerdict[];
}

export async function evaluateFraud(count = 200, fraudShare = 0.25, seed = 7): Promise<FraudEvaluation> {
  const corpus = buildCorpus(count, fraudShare, seed);
  const verdicts: InvoiceVerdict[] = [];
  for (const invoice of corpus.invoices) verdicts.push(await judge(invoice, corpus));
  const fraud = verdicts.filter((verdict) => verdict.fraud !== null);
  const clean = verdicts.filter((verdict) => verdict.fraud === null);
  const cleanMatchedUnderLimit = clean.filter(
    (verdict) => verdict.matched && !verdict.reasons.some((reason) => /above the auto-approval limit/.test(reason)),
  );
  const misreadFields: Record<string, number> = {};
  for (const verdict of verdicts)
    for (const field of verdict.misread) misreadFields[field] = (misreadFields[field] ?? 0) + 1;
  return {
    invoices: verdicts.length,
    fraudulent: fraud.length,
    fraudSentToPeople: fraud.filter((verdict) => !verdict.autoApproved).length,
    fraudRecall: fraud.length ? fraud.filter((verdict) => !verdict.autoApproved).length / fraud.length : 1,
    cleanMatchedUnderLimit: cleanMatchedUnderLimit.length,
    cleanAutoApproved: cleanMatchedUnderLimit.filter((verdict) => verdict.autoApproved).length,
    cleanAutoApprovalShare: cleanMatchedUnderLimit.length
      ? cleanMatchedUnderLimit.filter((verdict) => verdict.autoApproved).length / cleanMatchedUnderLimit.length
      : 0,
    clean: clean.length,
    cleanApprovedAlone: clean.filter((verdict) => verdict.autoApproved).length,
    byKind: FRAUD_KINDS.map((kind) => {
      const ofKind = fraud.filter((verdict) => verdict.fraud === kind);
      const seen = new Map<string, number>();
      for (const verdict of ofKind) for (const signal of verdict.signals) seen.set(signal, (seen.get(signal) ?? 0) + 1);
      return {
        kind,
        invoices: ofKind.length,
        sentToPeople: ofKind.filter((verdict) => !verdict.autoApproved).length,
        signalsSeen: [...seen].map(([signal, n]) => `${signal}×${n}`).join(' '),
      };
    }),
    misreadFields,
    verdicts,
  };
}
