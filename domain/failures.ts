// Failure types that cross the workflow boundary: workflows raise them in ApplicationFailures, the
// API maps them to status codes. Defined once so the two sides cannot spell them differently.

/** The case is not waiting for a review (decided, or already reviewed). */
export const NOT_AWAITING_REVIEW = 'not_awaiting_review';
/** The review does not fit the case (shape, category, nothing to approve). */
export const INVALID_REVIEW = 'invalid_review';
/**
 * PostgreSQL refused the data itself (SQLSTATE class 22: text it cannot encode, a value too long):
 * no retry can fix it, so the recording activity fails for good and the workflow parks the case.
 */
export const UNSTORABLE_DATA = 'unstorable_data';
/** The governor refused a mode change (unknown mode, no reason, automation leaving shutdown). */
export const MODE_CHANGE_REFUSED = 'mode_change_refused';

/** The reviewer may not give this approval: the invoice's submitter, or a second approval from the same person. */
export const SEPARATION_OF_DUTIES = 'separation_of_duties';

export type ReviewFailureType = typeof NOT_AWAITING_REVIEW | typeof INVALID_REVIEW | typeof SEPARATION_OF_DUTIES;
/** An invoice's stored document is missing or cannot be read: a person reads it. */
export const DOCUMENT_UNREADABLE = 'document_unreadable';
