// Whether the agent was right, as people find out: a reviewer's decision, an audit of an
// automatic decision, a downstream team's feedback. Each finding is an outcome; the error budget
// counts them. Pure rules, shared by the recording activity and the API.
import type { CaseKind, DecisionRecord, Mode, ReviewDecision, Route } from './case';

export const OUTCOME_SOURCES = ['review', 'audit', 'feedback'] as const;
export type OutcomeSource = (typeof OUTCOME_SOURCES)[number];

export const VERDICTS = ['right', 'wrong'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface OutcomeRecord {
  caseId: string;
  kind: CaseKind;
  source: OutcomeSource;
  /** The reviewer, or the team or system that sent feedback. */
  foundBy: string;
  verdict: Verdict;
  /** What the agent proposed. */
  predictedCategory: string;
  /** Where the case belonged, as the finding says; null when it belongs nowhere (rejected). */
  actualCategory: string | null;
  confidence: number;
  route: Route;
  mode: Mode;
  modelVersion: string;
  comment: string | null;
  at: string;
}

/**
 * A reviewed case is a finding on the agent's proposal, also when the proposal was hidden from
 * the reviewer (shutdown) or the mode sent everything to people: the agent was right when the
 * case went where it proposed (an invoice it proposed to pay: right when approved, wrong when
 * rejected or sent back). An automatic decision is no finding by itself.
 */
export function outcomeOfReview(decision: DecisionRecord): OutcomeRecord | null {
  if (decision.outcome === 'auto_decided' || !decision.reviewer) return null;
  // An invoice the agent proposed to hold was never a claim to act: whatever people decide, the
  // agent deferred to them as it should. Its proposals to pay are judged like any other.
  if (decision.kind === 'invoice' && decision.suggestion.category === 'hold') return null;
  const { suggestion } = decision;
  return {
    caseId: decision.caseId,
    kind: decision.kind,
    source: 'review',
    foundBy: decision.reviewer,
    verdict: decision.finalCategory === suggestion.category ? 'right' : 'wrong',
    predictedCategory: suggestion.category,
    actualCategory: decision.finalCategory,
    confidence: suggestion.confidence,
    route: decision.route,
    mode: decision.mode,
    modelVersion: suggestion.modelVersion,
    comment: decision.comment,
    at: decision.decidedAt,
  };
}

/**
 * Whether an automatic decision is drawn for an audit: a fixed share, decided by the case id's
 * hash so that a retried recording draws the same. `hash` is the first 32 bits of a digest.
 */
export function drawnForAudit(hash: number, rate: number): boolean {
  return rate > 0 && hash / 2 ** 32 < rate;
}

/**
 * An auditor's verdict on an automatic decision: confirmed is right; corrected elsewhere,
 * rejected or sent back for changes, wrong.
 */
export function auditVerdict(
  review: { decision: ReviewDecision; category?: string },
  proposed: string,
): { verdict: Verdict; actualCategory: string | null } {
  if (review.decision === 'approve') return { verdict: 'right', actualCategory: proposed };
  if (review.decision === 'reject' || review.decision === 'request_changes')
    return { verdict: 'wrong', actualCategory: null };
  const actual = review.category ?? proposed;
  return { verdict: actual === proposed ? 'right' : 'wrong', actualCategory: actual };
}
