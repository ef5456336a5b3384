// The words every layer shares (API, workflows, activities, tests). Pure types and constant lists only:
// this module is imported by workflow code, so it must stay free of Node and of side effects.

export const CASE_STATUSES = ['processing', 'awaiting_review', 'escalated', 'decided', 'manual'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const ROUTES = ['auto', 'assisted', 'manual'] as const;
export type Route = (typeof ROUTES)[number];

export const MODES = ['normal', 'reduced', 'human_routing', 'shutdown'] as const;
export type Mode = (typeof MODES)[number];

export const REVIEW_DECISIONS = ['approve', 'correct', 'reject'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export const CASE_KINDS = ['ticket'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

/** Why a case ended up where it is; recorded with the decision so an auditor never has to guess. */
export type RouteReason =
  | 'confident'
  | 'uncertain'
  | 'uncalibrated'
  | 'low_confidence'
  | 'anomaly'
  | 'mode_human_routing'
  | 'mode_shutdown'
  | 'review_timeout';

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

export interface Thresholds {
  /** Confidence strictly above which the agent decides alone in `normal` mode. */
  auto: number;
  /** Confidence at or above which a human approves or corrects the suggestion. Below: manual. */
  assisted: number;
  /** The stricter auto threshold used in `reduced` mode. */
  reducedAuto: number;
}

export interface ReviewTimeouts {
  /** Time without a review after which the case is marked escalated (and keeps waiting). */
  escalateAfterMs: number;
  /** Time from the start of the review after which the case moves to the manual queue. */
  finalTimeoutMs: number;
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

export interface Classification {
  intent: string;
  category: string;
  confidence: number;
  runnerUp: { intent: string; category: string; confidence: number } | null;
  explanation: FeatureWeight[];
  /** 0 = typical of the training data, 1 = like nothing seen; above the model's threshold it is an anomaly. */
  oodScore: number;
  anomaly: boolean;
  /** Labelled training tickets most like this one, for the reviewer. */
  nearest?: NearestExample[];
  /**
   * False when the confidence is not a calibrated probability (e.g. an LLM without token
   * log-probabilities): such a suggestion is never acted on alone.
   */
  calibrated?: boolean;
  modelVersion: string;
}

export interface ModeState {
  mode: Mode;
  since: string;
  reason: string;
  operator: string;
  /** Monotonic across the governor's runs, so receivers can drop stale or duplicate broadcasts. */
  seq: number;
}

export interface ModeChangeRequest {
  mode: Mode;
  reason: string;
  operator: string;
}

export interface ReviewInput {
  decision: ReviewDecision;
  category?: string;
  reviewer: string;
  comment?: string;
}

export interface Review extends ReviewInput {
  at: string;
  via: 'update' | 'signal';
}

export interface RoutingDecision {
  route: Route;
  reason: RouteReason;
  /** False in shutdown: the reviewer must not be anchored by the model's suggestion. */
  suggestionVisible: boolean;
}

export type Outcome = 'auto_decided' | 'approved' | 'corrected' | 'rejected';

/** The decision record: one per case, written to history (workflow result) and PostgreSQL. */
export interface DecisionRecord {
  caseId: string;
  outcome: Outcome;
  finalCategory: string | null;
  route: Route;
  routeReason: RouteReason;
  mode: Mode;
  thresholds: Thresholds;
  classification: Classification;
  reviewer: string | null;
  comment: string | null;
  escalated: boolean;
  decidedAt: string;
}

/** What the ticket workflow exposes to queries, the API and the case row. */
export interface CaseState {
  caseId: string;
  kind: CaseKind;
  status: CaseStatus;
  route: Route | null;
  routeReason: RouteReason | null;
  mode: Mode;
  suggestionVisible: boolean;
  classification: Classification | null;
  escalated: boolean;
  decision: DecisionRecord | null;
  /** Reviews refused by the workflow (signals cannot be refused to the sender, so they are kept here). */
  refusedReviews: { review: Partial<ReviewInput>; reason: string; at: string }[];
  /** Increases on every state change; the database keeps only the newest version of a case. */
  version: number;
}

/** Everything the case row needs; written by the workflow at each state change. */
export interface CaseSnapshot {
  state: CaseState;
  ticket: TicketInput;
  thresholds: Thresholds;
  workflowId: string;
  runId: string;
  /** Workflow time of the change, so a replayed write carries the original timestamp. */
  at: string;
}

/** A case as the API returns it. The model's suggestion is withheld while it is hidden (shutdown). */
export interface CaseView {
  caseId: string;
  kind: CaseKind;
  externalId: string;
  status: CaseStatus;
  route: Route | null;
  routeReason: RouteReason | null;
  mode: Mode;
  suggestionHidden: boolean;
  intent: string | null;
  category: string | null;
  confidence: number | null;
  runnerUp: Classification['runnerUp'];
  explanation: FeatureWeight[];
  nearest: NearestExample[];
  anomaly: boolean | null;
  modelVersion: string | null;
  escalated: boolean;
  decision: {
    outcome: Outcome;
    finalCategory: string | null;
    reviewer: string | null;
    comment: string | null;
    decidedAt: string;
  } | null;
  reviewer: string | null;
  subject: string;
  customer: Customer | null;
  thresholds: Thresholds | null;
  workflowId: string;
  runId: string | null;
  createdAt: string;
  updatedAt: string;
  decidedAt: string | null;
}
