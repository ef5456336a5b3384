// The words of the ticket kind: what a backend sends, and what the classifier proposes.
import type { CaseState, DecisionRecord, Suggestion } from '../case';

/** The background class of a model trained with outlier exposure: "not a banking ticket". */
export const OUT_OF_SCOPE = 'out_of_scope';

export interface Customer {
  id: string;
  tier?: string;
}

export interface TicketInput {
  externalId: string;
  subject: string;
  body: string;
  customer?: Customer;
  receivedAt: string; // ISO-8601, set by the API so replays see the same value
}

export interface FeatureWeight {
  feature: string;
  weight: number;
}

export interface NearestExample {
  text: string;
  intent: string;
  similarity: number;
}

/** The classifier's proposal for a ticket: its intent, the category that owns it, and why. */
export interface Classification extends Suggestion {
  intent: string;
  runnerUp: { intent: string; category: string; confidence: number } | null;
  explanation: FeatureWeight[];
  /** 0 = typical of the training data, 1 = like nothing seen; above the model's threshold it is an anomaly. */
  oodScore: number;
  /** Labelled training tickets most like this one, for the reviewer. */
  nearest?: NearestExample[];
}

export type TicketCaseState = CaseState<Classification>;
export type TicketDecision = DecisionRecord<Classification>;
