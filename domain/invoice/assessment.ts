// The agent's assessment of an invoice from its findings (what was read, the PO match, the fraud
// score) and how it is routed in a mode. Pure: the workflow applies it, the evaluation and the
// tests apply the very same rules. The property that matters most — an invoice a hard fraud gate
// stopped (a new vendor above all) is never approved alone — holds in `routeInvoice` whatever
// the mode, the amount, the match or the confidence.
import type { Mode, RoutingDecision } from '../case';
import { autoApproval, requiredApprovers, vendorRisk } from './approval';
import type { FraudAssessment } from './fraud';
import type { InvoicePolicy } from './policy';
import type { MatchResult } from './po-matching';
import type { InvoiceAssessment, InvoiceExtraction, InvoiceFacts, UnreadableReason } from './types';

/** The rules that make the proposal; recorded as the assessment's model version. */
export const INVOICE_RULES_VERSION = 'invoice-rules/1';

/** Fields whose confidence bounds the agent's: the ones payment depends on. */
const KEY_FIELDS = ['total', 'invoiceNumber', 'issueDate', 'iban'] as const;

const EMPTY_FACTS: InvoiceFacts = {
  vendorName: null,
  vendorTaxId: null,
  invoiceNumber: null,
  issueDate: null,
  dueDate: null,
  currency: null,
  subtotal: null,
  tax: null,
  total: null,
  poNumber: null,
  iban: null,
  remitTo: null,
  paymentTerms: null,
  lines: [],
};

export interface AssessmentInput {
  extraction: Omit<InvoiceExtraction, 'text'>;
  vendorId: string | null;
  match: MatchResult;
  fraud: FraudAssessment;
  policy: InvoicePolicy;
  /** The PO the submitter named, when they named one: it must be the one on the invoice. */
  submittedPoNumber?: string | null;
}

const NEW_VENDOR_GATES = new Set(['vendor_unknown', 'vendor_new']);

export function assessInvoice({
  extraction,
  vendorId,
  match,
  fraud,
  policy,
  submittedPoNumber,
}: AssessmentInput): InvoiceAssessment {
  const { facts, fields } = extraction;
  const problems = [...extraction.problems];
  if (submittedPoNumber && facts.poNumber && submittedPoNumber !== facts.poNumber)
    problems.push(`the submitter names PO ${submittedPoNumber}, the invoice PO ${facts.poNumber}`);
  const keyConfidence = Math.min(1, ...KEY_FIELDS.flatMap((name) => (fields[name] ? [fields[name].confidence] : [])));

  const cleanInNormal = autoApproval(
    { mode: 'normal', total: 0, fraud, match, extractionProblems: problems },
    policy.approval,
  ).allowed;
  const approvers = requiredApprovers(facts.total ?? 0, vendorRisk(fraud, policy.approval), policy.approval);
  const weakest = Object.entries(fields).sort(([, a], [, b]) => a.confidence - b.confidence)[0];
  const explanation = [
    `read ${Object.keys(fields).length} fields by ${extraction.extractorVersion}` +
      (extraction.embedded ? ` from the embedded ${extraction.embedded}` : ' from the page text') +
      (weakest ? `; least sure: ${weakest[0]} at ${weakest[1].confidence}` : ''),
    ...problems,
    `purchase order: ${match.explanation.join('; ')}`,
    fraud.signals.length === 0
      ? 'fraud score 0: no signal'
      : `fraud score ${fraud.score}: ${fraud.signals.map((signal) => `${signal.detail} (${signal.weight})`).join('; ')}`,
    `approvers if people decide: ${approvers.reason}`,
  ];
  return {
    category: cleanInNormal && facts.total !== null ? 'pay' : 'hold',
    confidence: +(keyConfidence * (1 - fraud.score)).toFixed(4),
    anomaly: fraud.gated,
    calibrated: true,
    modelVersion: `${INVOICE_RULES_VERSION}+${extraction.extractorVersion}`,
    vendorId,
    invoice: facts,
    fields,
    extractionProblems: problems,
    match,
    fraud,
    approvers,
    explanation,
    unreadable: null,
  };
}

/** A scan, or a document extraction failed on: nothing read, nothing proposed; people read it and decide. */
export function unreadableAssessment(input: {
  reason: UnreadableReason;
  problem: string;
  vendorId: string | null;
  poNumber: string | null;
}): InvoiceAssessment {
  return {
    category: 'hold',
    confidence: 0,
    anomaly: false,
    calibrated: true,
    modelVersion: INVOICE_RULES_VERSION,
    vendorId: input.vendorId,
    invoice: { ...EMPTY_FACTS, poNumber: input.poNumber },
    fields: {},
    extractionProblems: [input.problem],
    match: {
      status: input.poNumber ? 'mismatch' : 'no_po',
      kind: null,
      poNumber: input.poNumber,
      lines: [],
      partial: false,
      explanation: ['not matched: the invoice could not be read'],
    },
    fraud: { score: 0, signals: [], gated: false },
    // Nothing known about the amount: the strictest band applies.
    approvers: { count: 2, reason: 'four eyes: the amount could not be read' },
    explanation: [input.problem, 'four eyes: the amount could not be read'],
    unreadable: input.reason,
  };
}

/**
 * Where an invoice goes in a mode. The agent approves alone only a readable, matched invoice from
 * a known vendor with no fraud gate, a low score and no doubtful field, under the auto-approval
 * limit, in `normal` or `reduced`. Everything else waits for its approvers; a scan and shutdown
 * go to the manual queue.
 */
export function routeInvoice(assessment: InvoiceAssessment, mode: Mode, policy: InvoicePolicy): RoutingDecision {
  const people = (reason: RoutingDecision['reason']): RoutingDecision => ({
    route: 'assisted',
    reason,
    suggestionVisible: true,
  });
  if (mode === 'shutdown') return { route: 'manual', reason: 'mode_shutdown', suggestionVisible: false };
  if (assessment.unreadable) return { route: 'manual', reason: assessment.unreadable, suggestionVisible: true };
  const gates = assessment.fraud.signals.filter((signal) => signal.gate);
  if (gates.some((signal) => NEW_VENDOR_GATES.has(signal.name))) return people('new_vendor');
  if (gates.length > 0 || assessment.fraud.score >= policy.approval.highRiskScore) return people('fraud_signal');
  if (assessment.extractionProblems.length > 0) return people('extraction_uncertain');
  if (assessment.match.status !== 'matched') return people('po_mismatch');
  if (mode === 'safe') return people('mode_safe');
  if (mode === 'human_routing') return people('mode_human_routing');
  return autoApprovalIn(assessment, mode, policy).allowed
    ? { route: 'auto', reason: 'clean_invoice', suggestionVisible: true }
    : people('approval_required');
}

/** Why the agent does not approve alone in this mode (empty when it does): for the reviewer. */
export function holdReasons(assessment: InvoiceAssessment, mode: Mode, policy: InvoicePolicy): string[] {
  if (assessment.unreadable) return assessment.extractionProblems;
  return autoApprovalIn(assessment, mode, policy).reasons;
}

function autoApprovalIn(assessment: InvoiceAssessment, mode: Mode, policy: InvoicePolicy) {
  const { invoice, fraud, match, extractionProblems } = assessment;
  return autoApproval({ mode, total: invoice.total, fraud, match, extractionProblems }, policy.approval);
}
