// The invoice policy a case runs under, passed into its workflow at start so that history records
// the very limits, tolerances and bands the decision was made with.
import { DEFAULT_APPROVAL_POLICY, type ApprovalPolicy } from './approval';
import { DEFAULT_TOLERANCES, type MatchTolerances } from './po-matching';

export interface InvoicePolicy {
  approval: ApprovalPolicy;
  tolerances: MatchTolerances;
  /** Days within which the same amount from the same vendor is a possible duplicate. */
  duplicateWindowDays: number;
}

export const DEFAULT_INVOICE_POLICY: InvoicePolicy = {
  approval: DEFAULT_APPROVAL_POLICY,
  tolerances: DEFAULT_TOLERANCES,
  duplicateWindowDays: 30,
};
