// The ticket's part of a case view: what the customer wrote (subject, customer) and the
// classifier's proposal with its explanation, withheld while the proposal is hidden.
import type { CaseRecord } from '../../db/cases';
import type { Classification, Customer, FeatureWeight, NearestExample } from '../../domain/ticket/types';

export interface TicketSuggestionView {
  intent: string;
  category: string;
  confidence: number;
  runnerUp: Classification['runnerUp'];
  explanation: FeatureWeight[];
  nearest: NearestExample[];
  anomaly: boolean;
}

export interface TicketParts {
  ticket: { subject: string; body: string; customer: Customer | null };
  /** The classifier's proposal; null before it is made and while it is hidden (shutdown). */
  suggestion: TicketSuggestionView | null;
}

export function ticketParts(record: CaseRecord, hidden: boolean): TicketParts {
  const input = record.input as { subject: string; body?: string; customer?: Customer };
  const classification = record.suggestion as Classification | null;
  return {
    ticket: { subject: input.subject, body: input.body ?? '', customer: input.customer ?? null },
    suggestion:
      classification && !hidden
        ? {
            intent: classification.intent,
            category: classification.category,
            confidence: classification.confidence,
            runnerUp: classification.runnerUp,
            explanation: classification.explanation,
            nearest: classification.nearest ?? [],
            anomaly: classification.anomaly,
          }
        : null,
  };
}
