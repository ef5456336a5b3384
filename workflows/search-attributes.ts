// Custom search attributes that let ops filter cases in the Web UI and `temporal workflow list`.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CaseKind = defineSearchAttributeKey('CaseKind', SearchAttributeType.KEYWORD);
export const CaseStatus = defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD);
export const CaseCategory = defineSearchAttributeKey('CaseCategory', SearchAttributeType.KEYWORD);
export const CaseConfidence = defineSearchAttributeKey('CaseConfidence', SearchAttributeType.DOUBLE);
export const CaseMode = defineSearchAttributeKey('CaseMode', SearchAttributeType.KEYWORD);
export const CaseRoute = defineSearchAttributeKey('CaseRoute', SearchAttributeType.KEYWORD);
export const CaseEscalated = defineSearchAttributeKey('CaseEscalated', SearchAttributeType.BOOL);

export const ALL_SEARCH_ATTRIBUTES = [
  CaseKind,
  CaseStatus,
  CaseCategory,
  CaseConfidence,
  CaseMode,
  CaseRoute,
  CaseEscalated,
];
