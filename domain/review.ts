// Which reviews a case can take. Used by the workflow's update validator and signal handler alike,
// so a review sent from the Web UI is held to the same rules as one sent through the API.
import { isTeam } from './teams';
import { REVIEW_DECISIONS, type CaseState, type ReviewInput } from './types';

export const MAX_COMMENT_LENGTH = 2000;

export type ReviewRefusal = { code: 'not_awaiting_review' | 'invalid_review'; message: string };

export function reviewableStatus(state: Pick<CaseState, 'status'>): boolean {
  return state.status === 'awaiting_review' || state.status === 'escalated' || state.status === 'manual';
}

/** Shape checks that do not depend on the case; the API applies them before it reaches Temporal. */
export function reviewShapeProblem(review: Partial<ReviewInput> | null | undefined): string | null {
  if (!review || typeof review !== 'object') return 'review payload must be an object';
  if (!REVIEW_DECISIONS.includes(review.decision as never)) {
    return `decision must be one of ${REVIEW_DECISIONS.join(', ')}`;
  }
  if (typeof review.reviewer !== 'string' || review.reviewer.trim() === '') return 'reviewer is required';
  if (review.decision === 'correct') {
    if (typeof review.category !== 'string' || !isTeam(review.category)) return 'correct needs a valid category';
  } else if (review.category !== undefined && review.category !== null) {
    return `category is only allowed with decision 'correct'`;
  }
  if (review.comment !== undefined && review.comment !== null) {
    if (typeof review.comment !== 'string') return 'comment must be a string';
    if (review.comment.length > MAX_COMMENT_LENGTH) return `comment must be at most ${MAX_COMMENT_LENGTH} characters`;
  }
  return null;
}

export function reviewRefusal(state: CaseState, review: Partial<ReviewInput> | null | undefined): ReviewRefusal | null {
  if (!reviewableStatus(state)) {
    return { code: 'not_awaiting_review', message: `case ${state.caseId} is ${state.status}, not awaiting review` };
  }
  const problem = reviewShapeProblem(review);
  if (problem) return { code: 'invalid_review', message: problem };
  if (review!.decision === 'approve' && !state.suggestionVisible) {
    return {
      code: 'invalid_review',
      message: 'no model suggestion to approve in shutdown: use correct with a category',
    };
  }
  return null;
}
