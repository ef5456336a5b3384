// The words every kind of case shares (tickets and invoices): where a case stands, how it
// was routed, the modes, reviews and the decision record. Pure types and constant lists only:
// workflow code imports this module, so it stays free of Node and of side effects.

export const CASE_KINDS = ['ticket', 'invoice'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

/**
 * `audit`: decided by the agent alone and drawn for an audit; the decision stands, a reviewer
 * confirms or corrects it, and the case returns to `decided` with the finding on record.
 */
export const CASE_STATUSES = ['processing', 'awaiting_review', 'escalated', 'decided', 'manual', 'audit'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const ROUTES = ['auto', 'assisted', 'manual'] as const;
export type Route = (typeof ROUTES)[number];

/**
 * The autonomy ladder, loosest first. `safe`: the model decides nothing; versioned critical rules
 * route what they recognise, everything else goes to people.
 */
export const MODES = ['normal', 'reduced', 'safe', 'human_routing', 'shutdown'] as const;
export type Mode = (typeof MODES)[number];

/** Every decision a reviewer can send; each kind takes a subset (`REVIEW_RULES_OF_KIND`). */
export const REVIEW_DECISIONS = ['approve', 'correct', 'reject', 'request_changes'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** A business key from the client: what makes a repeated start the same case. */
export const EXTERNAL_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
export const EXTERNAL_ID_RULE = 'must be 1-128 characters of A-Z a-z 0-9 . _ : -';

/** A case id is its kind and the client's external id; it is also the case's workflow id. */
export function caseIdFor(kind: CaseKind, externalId: string): string {
  return `${kind}-${externalId}`;
}

const CASE_ID_PATTERN = new RegExp(`^(${CASE_KINDS.join('|')})-(${EXTERNAL_ID_PATTERN.source.slice(1, -1)})$`);

/** The kind and external id a case id names, or null when it is not a case id. */
export function parseCaseId(caseId: string): { kind: CaseKind; externalId: string } | null {
  const match = CASE_ID_PATTERN.exec(caseId);
  return match ? { kind: match[1] as CaseKind, externalId: match[2] } : null;
}

/** Why a case ended up where it is; recorded with the decision so an auditor never has to guess. */
export type RouteReason =
  | 'confident'
  | 'uncertain'
  | 'uncalibrated'
  | 'low_confidence'
  | 'anomaly'
  | 'mode_human_routing'
  /** Safe mode and no critical rule recognised the case: people route it. */
  | 'mode_safe'
  /** A versioned critical rule routed the case (safe mode), without the model. */
  | 'critical_rule'
  /** A critical rule and the model disagree: a person sees both and decides. */
  | 'rule_disagreement'
  | 'mode_shutdown'
  | 'review_timeout'
  | 'unrecordable_data'
  /** The mode relaxed while the case was with people: it stays with them. */
  | 'kept_for_review'
  /** Invoices: clean, matched, known vendor, under the limit: the agent approves alone. */
  | 'clean_invoice'
  /** Invoices: nothing against it, but its amount needs people's approval. */
  | 'approval_required'
  /** Invoices: the vendor is unknown or this is its first invoice: always people. */
  | 'new_vendor'
  /** Invoices: a fraud gate fired or the fraud score is high. */
  | 'fraud_signal'
  /** Invoices: no purchase order, or the invoice does not match it within tolerance. */
  | 'po_mismatch'
  /** Invoices: a field below its confidence threshold, or amounts that do not reconcile. */
  | 'extraction_uncertain'
  /** Invoices: a scan without a text layer: a person reads it. */
  | 'no_text_layer'
  /** Invoices: the document could not be read even though it passed intake: a person reads it. */
  | 'extraction_failed';

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

/**
 * What the agent proposes for a case, as far as routing and the record need it. Each kind's own
 * proposal (a ticket's classification) extends this with its details.
 */
export interface Suggestion {
  /** The category (team) the agent would send the case to. */
  category: string;
  confidence: number;
  anomaly: boolean;
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
  /** What made automation change the mode (figures, rule, policy); absent for changes by hand. */
  evidence?: unknown;
  /**
   * The scope this change applied to: absent (or 'global') for the whole system, or a scope key
   * such as `category:cards` or `kind:ticket`.
   */
  scope?: string;
  /**
   * Modes that hold for one scope while the rest runs in `mode`, after this change. A case routes
   * by the strictest of the global mode and its scopes' modes. Absent: no scope holds a mode.
   */
  scopes?: Record<string, Mode>;
}

export interface ModeChangeRequest {
  mode: Mode;
  reason: string;
  operator: string;
  evidence?: unknown;
  /** A scope key (`category:<name>`, `kind:<kind>`); absent for the global mode. */
  scope?: string;
}

export interface ReviewInput {
  decision: ReviewDecision;
  /** The category the reviewer sends the case to; only with `correct`. */
  category?: string;
  reviewer: string;
  comment?: string;
}

export interface RoutingDecision {
  route: Route;
  reason: RouteReason;
  /** False in shutdown: the reviewer must not be anchored by the model's suggestion. */
  suggestionVisible: boolean;
}

export type Outcome = 'auto_decided' | 'approved' | 'corrected' | 'rejected' | 'changes_requested';

/** One person's approval of a case that needs more than one (an invoice under four eyes). */
export interface Approval {
  reviewer: string;
  comment: string | null;
  via: ReviewChannel;
  at: string;
}

/** The decision record: one per case, written to history (workflow result) and PostgreSQL. */
export interface DecisionRecord<S extends Suggestion = Suggestion> {
  caseId: string;
  kind: CaseKind;
  outcome: Outcome;
  /** The category the case goes to in the end: the reviewer's on a correction, null when rejected. */
  finalCategory: string | null;
  route: Route;
  routeReason: RouteReason;
  mode: Mode;
  thresholds: Thresholds;
  /** The agent's proposal as it stood when the case was decided, kept whatever the outcome. */
  suggestion: S;
  reviewer: string | null;
  comment: string | null;
  /**
   * How the review came: `update` from the API, whose reviewer is the API key's holder; `signal`
   * from the Temporal Web UI, whose reviewer is only as declared. Null when the agent decided.
   */
  via: ReviewChannel | null;
  escalated: boolean;
  decidedAt: string;
  /** The critical rule the case matched, when one did; on `critical_rule` it named the team. */
  critical?: CriticalFlag;
  /** Every approval the decision rests on, in order, when the case needed more than one. */
  approvals?: Approval[];
}

export type ReviewChannel = 'update' | 'signal';

/** What a reader of a case needs of its decision; the full record stays in history and `decisions`. */
export type DecisionSummary = Pick<
  DecisionRecord,
  'outcome' | 'finalCategory' | 'reviewer' | 'comment' | 'via' | 'decidedAt'
>;

export interface RefusedReview {
  review: Partial<ReviewInput>;
  reason: string;
  at: string;
}

/** What a case workflow exposes to queries and records as the case row. */
export interface CaseState<S extends Suggestion = Suggestion> {
  caseId: string;
  kind: CaseKind;
  status: CaseStatus;
  route: Route | null;
  routeReason: RouteReason | null;
  mode: Mode;
  suggestionVisible: boolean;
  /** Null until the agent has made its proposal. */
  suggestion: S | null;
  escalated: boolean;
  decision: DecisionRecord<S> | null;
  /** Reviews refused by the workflow (signals cannot be refused to the sender, so they are kept here). */
  refusedReviews: RefusedReview[];
  /** Increases on every state change; the database keeps only the newest version of a case. */
  version: number;
  /** Why the case could not be recorded as it is (it was parked in the manual queue); absent when fine. */
  problem?: string;
  /** The critical rule the case matched (rules version, rule, team); absent when none matched. */
  critical?: CriticalFlag;
  /** Approvals given so far, when the case needs more than one (four eyes); absent otherwise. */
  approvals?: Approval[];
}

/** A critical rule's proposal, beside the model's: shown to the reviewer, acted on in safe mode. */
export interface CriticalFlag {
  rulesVersion: string;
  rule: string;
  fired: string[];
  category: string;
}

/** A case as it starts: processing, not yet routed, in `normal` until it hears the mode. */
export function newCaseState<S extends Suggestion>(caseId: string, kind: CaseKind): CaseState<S> {
  return {
    caseId,
    kind,
    status: 'processing',
    route: null,
    routeReason: null,
    mode: 'normal',
    suggestionVisible: true,
    suggestion: null,
    escalated: false,
    decision: null,
    refusedReviews: [],
    version: 0,
  };
}

/**
 * The category a case is with now: the final one once decided, otherwise the agent's proposal
 * while it may be shown. What a client routes by.
 */
export function currentCategory(state: {
  decision: { finalCategory: string | null } | null;
  suggestion: { category: string } | null;
  suggestionVisible: boolean;
}): string | null {
  if (state.decision) return state.decision.finalCategory;
  return state.suggestionVisible ? (state.suggestion?.category ?? null) : null;
}
