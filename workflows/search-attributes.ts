// Custom search attributes that let ops filter cases in the Web UI and `temporal workflow list`.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CaseKind = defineSearchAttributeKey('CaseKind', SearchAttributeType.KEYWORD);
export const CaseStatus = defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD);
/** Where the case is now: the final category once decided, the agent's proposal before. */
export const CaseCategory = defineSearchAttributeKey('CaseCategory', SearchAttributeType.KEYWORD);
/** The agent's proposal, kept after a reviewer corrects it; empty while hidden (shutdown). */
export const CaseSuggestedCategory = defineSearchAttributeKey('CaseSuggestedCategory', SearchAttributeType.KEYWORD);
export const CaseConfidence = defineSearchAttributeKey('CaseConfidence', SearchAttributeType.DOUBLE);
export const CaseMode = defineSearchAttributeKey('CaseMode', SearchAttributeType.KEYWORD);
export const CaseRoute = defineSearchAttributeKey('CaseRoute', SearchAttributeType.KEYWORD);
export const CaseEscalated = defineSearchAttributeKey('CaseEscalated', SearchAttributeType.BOOL);
/** Invoices: the vendor (the master's id, else the name read off the invoice). */
export const CaseVendor = defineSearchAttributeKey('CaseVendor', SearchAttributeType.KEYWORD);
/** Invoices: the total in the invoice's currency (major units), once read. */
export const CaseAmount = defineSearchAttributeKey('CaseAmount', SearchAttributeType.DOUBLE);
/** Invoices: the fraud score in [0, 1], once scored. */
export const CaseFraudScore = defineSearchAttributeKey('CaseFraudScore', SearchAttributeType.DOUBLE);

export const ALL_SEARCH_ATTRIBUTES = [
  CaseKind,
  CaseStatus,
  CaseCategory,
  CaseSuggestedCategory,
  CaseConfidence,
  CaseMode,
  CaseRoute,
  CaseEscalated,
  CaseVendor,
  CaseAmount,
  CaseFraudScore,
];
