// What differs between kinds of case that shared code must know: the categories each routes to
// and the reviews each takes.
import type { CaseKind, ReviewDecision } from './case';
import { INVOICE_CATEGORIES } from './invoice/types';
import { TICKET_CATEGORIES } from './ticket/categories';

export const CATEGORIES_OF_KIND: Record<CaseKind, readonly string[]> = {
  ticket: TICKET_CATEGORIES,
  invoice: INVOICE_CATEGORIES,
};

export interface KindReviewRules {
  decisions: readonly ReviewDecision[];
  /** The categories a `correct` may choose (none where the kind takes no corrections). */
  categories: readonly string[];
  /**
   * True where `approve` means "the agent's proposal is right": it cannot be approved while the
   * proposal is hidden (shutdown). An invoice's approval is the approver's own judgement.
   */
  approveEndorsesProposal: boolean;
}

export const REVIEW_RULES_OF_KIND: Record<CaseKind, KindReviewRules> = {
  ticket: { decisions: ['approve', 'correct', 'reject'], categories: TICKET_CATEGORIES, approveEndorsesProposal: true },
  invoice: { decisions: ['approve', 'reject', 'request_changes'], categories: [], approveEndorsesProposal: false },
};
