// The fraud evaluation: every corpus invoice is rendered to PDF, checked and read like an upload
// (intake check, core and payment fields off the page), matched to its PO, scored for fraud and
// put to the auto-approval rule in `normal`. What counts: fraud the agent would have approved
// alone (target: none), and the share of clean, matched invoices it approves alone (target ≥ 80%).
import { approvalLimits, autoApproval, DEFAULT_APPROVAL_POLICY } from '../domain/invoice/approval';
import { assessFraud, type FraudSignalName } from '../domain/invoice/fraud';
import { matchInvoice } from '../domain/invoice/po-matching';
import { paymentFieldsFromText } from '../extraction/payment-fields';
import { checkInvoicePdf } from '../extraction/pdf-intake';
import { fieldsFromText } from '../extraction/text-fields';
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
  const checked = await checkInvoicePdf(await renderInvoicePdf(invoice));
  if (!checked.ok) throw new Error(`${invoice.id}: the generated PDF was refused: ${checked.message}`);
  const core = fieldsFromText(checked.text);
  const payment = paymentFieldsFromText(checked.text);
  const total = typeof core.total?.value === 'number' ? Math.round(core.total.value * 100) : null;
  const read = {
    invoiceNumber: core.invoiceNumber === undefined ? null : String(core.invoiceNumber.value),
    issueDate: (core.issueDate?.value as string | undefined) ?? null,
    total,
    iban: (payment.iban?.value as string | undefined) ?? null,
    poNumber: (payment.poNumber?.value as string | undefined) ?? null,
    remitTo: (payment.remitTo?.value as string | undefined) ?? null,
    paymentTerms: (payment.paymentTerms?.value as string | undefined) ?? null,
  };
  const misread = [
    read.invoiceNumber !== invoice.invoiceNumber && 'invoiceNumber',
    read.issueDate !== invoice.issueDate && 'issueDate',
    read.total !== invoice.total && 'total',
    read.iban !== invoice.iban && 'iban',
    read.poNumber !== invoice.poNumber && 'poNumber',
    read.remitTo !== invoice.remitTo && 'remitTo',
  ].filter((name): name is string => Boolean(name));
  const vendor = corpus.vendors.find((candidate) => candidate.vendorId === invoice.vendorId) ?? null;
  const po = corpus.purchaseOrders.find((candidate) => candidate.poNumber === read.poNumber) ?? null;
  // Line items come from the corpus: reading line tables off the page is not built yet.
  const match = matchInvoice({
    poNumber: read.poNumber,
    vendorId: invoice.vendorId,
    currency: 'EUR',
    lines: invoice.lines,
    po,
    receipts: [],
  });
  const fraud = assessFraud({
    invoice: { vendorId: invoice.vendorId, ...read, text: checked.text, paymentTerms: read.paymentTerms },
    vendor,
    otherVendorAddresses: corpus.vendors
      .filter((candidate) => candidate.vendorId !== invoice.vendorId)
      .flatMap((candidate) => candidate.addresses.map((address) => ({ vendorId: candidate.vendorId, address }))),
    priorInvoices: corpus.priorInvoices[invoice.vendorId] ?? [],
    poIssuedOn: po?.issuedOn ?? null,
    approvalLimits: approvalLimits(DEFAULT_APPROVAL_POLICY),
  });
  const extractionProblems = Object.entries({ ...core, ...payment })
    .filter(([name, extracted]) => ['total', 'invoiceNumber', 'iban'].includes(name) && extracted!.confidence < 0.9)
    .map(([name, extracted]) => `${name}: confidence ${extracted!.confidence} below 0.9`);
  const verdict = autoApproval({ mode: 'normal', total, fraud, match, extractionProblems }, DEFAULT_APPROVAL_POLICY);
  return {
    id: invoice.id,
    fraud: invoice.fraud,
    autoApproved: verdict.allowed,
    signals: fraud.signals.map((signal) => signal.name),
    score: fraud.score,
    matched: match.status === 'matched',
    reasons: verdict.reasons,
    misread,
  };
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
