// Who must approve an invoice, and when the agent may approve it alone. A matrix of amount bands
// by vendor risk gives the number of approvers (four-eyes above a limit); separation of duties
// keeps the submitter out and never lets one person give both approvals. Amounts in minor units.
import type { Mode } from '../case';
import type { FraudAssessment } from './fraud';
import type { MatchResult } from './po-matching';

export type VendorRisk = 'low' | 'high';

export interface ApprovalBand {
  /** Totals up to and including this amount; null: any amount above the previous band. */
  upTo: number | null;
  approvers: Record<VendorRisk, 1 | 2>;
}

export interface ApprovalPolicy {
  /** The agent may approve alone up to this total, in `normal`; half of it in `reduced`. */
  autoApproveLimit: number;
  /** A fraud score at or above this makes the vendor high risk (and is never approved alone). */
  highRiskScore: number;
  bands: ApprovalBand[];
}

export const DEFAULT_APPROVAL_POLICY: ApprovalPolicy = {
  autoApproveLimit: 1_000_00,
  highRiskScore: 0.3,
  bands: [
    { upTo: 10_000_00, approvers: { low: 1, high: 1 } },
    { upTo: 50_000_00, approvers: { low: 1, high: 2 } },
    { upTo: null, approvers: { low: 2, high: 2 } },
  ],
};

/** The amounts from which more approval is needed: what "just under a limit" is measured against. */
export function approvalLimits(policy: ApprovalPolicy): number[] {
  return [policy.autoApproveLimit, ...policy.bands.flatMap((band) => (band.upTo === null ? [] : [band.upTo]))];
}

export function vendorRisk(fraud: FraudAssessment, policy: ApprovalPolicy): VendorRisk {
  return fraud.gated || fraud.score >= policy.highRiskScore ? 'high' : 'low';
}

/** How many distinct people must approve, and why. */
export function requiredApprovers(
  total: number,
  risk: VendorRisk,
  policy: ApprovalPolicy,
): { count: 1 | 2; reason: string } {
  const band = policy.bands.find((candidate) => candidate.upTo === null || total <= candidate.upTo)!;
  const count = band.approvers[risk];
  const range = band.upTo === null ? 'above the last band' : `up to ${band.upTo}`;
  return { count, reason: `${count === 2 ? 'four eyes' : 'one approver'}: total ${total} ${range}, ${risk} risk` };
}

/** Why this person may not approve (separation of duties), or null when they may. */
export function approverRefusal(
  approver: string,
  submittedBy: string | null,
  approvedBy: readonly string[],
): string | null {
  const who = approver.trim().toLowerCase();
  if (submittedBy && who === submittedBy.trim().toLowerCase()) return 'the submitter of an invoice never approves it';
  if (approvedBy.some((earlier) => earlier.trim().toLowerCase() === who))
    return `${approver} has already approved this invoice: the second approval must come from someone else`;
  return null;
}

export interface AutoApprovalInput {
  mode: Mode;
  total: number | null;
  fraud: FraudAssessment;
  match: MatchResult;
  /** Fields whose confidence is below their threshold, or amounts that do not reconcile. */
  extractionProblems: readonly string[];
}

/**
 * Whether the agent may approve alone, and if not every reason why not. Only a clean, matched
 * invoice from a known vendor, under the limit, in a mode that allows it: anything else waits
 * for people. A hard fraud gate (a new vendor, changed bank details, a duplicate) is always a reason.
 */
export function autoApproval(
  input: AutoApprovalInput,
  policy: ApprovalPolicy,
): { allowed: boolean; reasons: string[] } {
  const reasons: string[] = [];
  const limit = input.mode === 'reduced' ? policy.autoApproveLimit / 2 : policy.autoApproveLimit;
  if (input.mode !== 'normal' && input.mode !== 'reduced')
    reasons.push(`mode ${input.mode}: people approve every invoice`);
  for (const signal of input.fraud.signals.filter((candidate) => candidate.gate))
    reasons.push(`fraud gate: ${signal.detail}`);
  if (input.fraud.score >= policy.highRiskScore)
    reasons.push(`fraud score ${input.fraud.score} at or above ${policy.highRiskScore}`);
  if (input.match.status !== 'matched') reasons.push(`purchase order: ${input.match.explanation.join('; ')}`);
  if (input.total === null) reasons.push('no total could be read');
  else if (input.total > limit) reasons.push(`total ${input.total} above the auto-approval limit ${limit}`);
  reasons.push(...input.extractionProblems);
  return { allowed: reasons.length === 0, reasons };
}
