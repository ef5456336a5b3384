// Which reviews a case can take, for every kind: the workflow's update validator and signal
// handler apply these rules, and the API's review schema is built on them, so a review sent from
// the Web UI is held to the same rules as one sent through the API.
import { REVIEW_DECISIONS, type CaseState, type ReviewInput } from './case';
import type { KindReviewRules } from './kinds';
import { INVALID_REVIEW, NOT_AWAITING_REVIEW, type ReviewFailureType } from './failures';
import { unstorableTextProblem } from './storable-text';

export const MAX_COMMENT_LENGTH = 2000;
export const MAX_REVIEWER_LENGTH = 200;

export type ReviewRefusal = { code: ReviewFailureType; message: string };

/** A review a case took, with when and how it arrived (an Update from the API, a Signal from the Web UI). */
export interface Reviewed<R> {
  review: R;
  at: string;
  via: 'update' | 'signal';
}

/** A problem with one field of a review, named so the API can point at it. */
export interface ReviewProblem {
  field: keyof ReviewInput | null;
  message: string;
}

export function reviewableStatus(state: Pick<CaseState, 'status'>): boolean {
  return state.status === 'awaiting_review' || state.status === 'escalated' || state.status === 'manual';
}

/**
 * Checks that do not depend on the case's state. `rules` are the case's kind's (its decisions and
 * the categories it routes to); without them (the API before it knows the case) any decision and
 * category name pass this check.
 */
export function reviewProblem(
  review: Partial<ReviewInput> | null | undefined,
  rules?: KindReviewRules,
): ReviewProblem | null {
  if (!review || typeof review !== 'object') return { field: null, message: 'review payload must be an object' };
  for (const field of ['reviewer', 'comment', 'category'] as const) {
    const value = review[field];
    const problem = typeof value === 'string' ? unstorableTextProblem(value) : null;
    if (problem) return { field, message: problem };
  }
  const decisions = rules?.decisions ?? REVIEW_DECISIONS;
  if (!decisions.includes(review.decision as never)) {
    return { field: 'decision', message: `must be one of ${decisions.join(', ')}` };
  }
  if (typeof review.reviewer !== 'string' || review.reviewer.trim() === '') {
    return { field: 'reviewer', message: 'is required' };
  }
  if (review.reviewer.length > MAX_REVIEWER_LENGTH) {
    return { field: 'reviewer', message: `must be at most ${MAX_REVIEWER_LENGTH} characters` };
  }
  if (review.decision === 'correct') {
    if (typeof review.category !== 'string' || review.category === '') {
      return { field: 'category', message: "is required with decision 'correct'" };
    }
    if (rules && !rules.categories.includes(review.category)) {
      return { field: 'category', message: `must be one of ${rules.categories.join(', ')}` };
    }
  } else if (review.category !== undefined && review.category !== null) {
    return { field: 'category', message: "is only allowed with decision 'correct'" };
  }
  if (review.comment !== undefined && review.comment !== null) {
    if (typeof review.comment !== 'string') return { field: 'comment', message: 'must be a string' };
    if (review.comment.length > MAX_COMMENT_LENGTH) {
      return { field: 'comment', message: `must be at most ${MAX_COMMENT_LENGTH} characters` };
    }
  }
  return null;
}

export function describeProblem(problem: ReviewProblem): string {
  return problem.field ? `${problem.field}: ${problem.message}` : problem.message;
}

/** Why this case cannot take this review now, or null when it can. */
export function reviewRefusal(
  state: CaseState,
  review: Partial<ReviewInput> | null | undefined,
  rules: KindReviewRules,
): ReviewRefusal | null {
  if (!reviewableStatus(state)) {
    return { code: NOT_AWAITING_REVIEW, message: `case ${state.caseId} is ${state.status}, not awaiting review` };
  }
  const problem = reviewProblem(review, rules);
  if (problem) return { code: INVALID_REVIEW, message: describeProblem(problem) };
  if (review!.decision === 'approve' && rules.approveEndorsesProposal && !state.suggestionVisible) {
    return { code: INVALID_REVIEW, message: 'no model suggestion to approve in shutdown: use correct with a category' };
  }
  return null;
}
