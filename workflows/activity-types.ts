// What workflows may ask of activities, as types only: the sandbox never loads activity code.
// Also the shapes those activities take, so workflow and activity agree on them in one place.
import type { CaseState, CriticalFlag, DecisionRecord, ModeState, ReviewInput, Thresholds } from '../domain/case';
import type { BudgetFigures, BudgetWindows } from '../domain/budget-policy';
import type { Classification } from '../domain/ticket/types';
import type { FraudAssessment } from '../domain/invoice/fraud';
import type { InvoicePolicy } from '../domain/invoice/policy';
import type { InvoiceLine, MatchResult, MatchTolerances } from '../domain/invoice/po-matching';
import type { InvoiceExtraction, InvoiceFacts } from '../domain/invoice/types';
import type { Outcome } from '../domain/case';

/** Everything the case row needs; written by the workflow at each state change. */
export interface CaseSnapshot {
  state: CaseState;
  externalId: string;
  /** The kind's input as the case row keeps it; the external id has a column of its own. */
  input: Record<string, unknown>;
  /** When the API took the case in: the row's creation time. */
  receivedAt: string;
  thresholds: Thresholds;
  workflowId: string;
  runId: string;
  /** Workflow time of the change, so a replayed write carries the original timestamp. */
  at: string;
}

/** What every kind of case needs: the mode to route by, and its record in PostgreSQL. */
export interface CaseActivities {
  currentMode(): Promise<ModeState>;
  recordCase(snapshot: CaseSnapshot): Promise<void>;
  recordDecision(input: { snapshot: CaseSnapshot; decision: DecisionRecord }): Promise<void>;
  /** Keeps a review the workflow refused (a signal: its sender cannot be told) for the audit trail. */
  recordRefusedReview(input: RefusedReviewRecord): Promise<void>;
}

export interface RefusedReviewRecord {
  caseId: string;
  review: Partial<ReviewInput>;
  refusal: string;
  message: string;
  via: 'signal';
  at: string;
}

export interface TicketActivities {
  classifyTicket(input: { subject: string; body: string }): Promise<Classification>;
  /** The versioned critical rules over the ticket's text; null when none matches. */
  matchCriticalRules(input: { subject: string; body: string }): Promise<CriticalFlag | null>;
}

export interface InvoiceActivities {
  /** Reads the case's stored PDF: fields with confidences, line items, the problems found. */
  extractInvoice(input: { caseId: string }): Promise<InvoiceExtraction>;
  /** The vendor master's id for the vendor an invoice names (tax id, then exact name); null if none. */
  findVendor(input: { taxId: string | null; name: string | null }): Promise<string | null>;
  /** Two- or three-way match against the PO and its goods receipts. */
  matchPurchaseOrder(input: {
    poNumber: string | null;
    vendorId: string | null;
    currency: string | null;
    lines: InvoiceLine[];
    tolerances: MatchTolerances;
  }): Promise<{ match: MatchResult; poIssuedOn: string | null }>;
  /** Registers the invoice (for later duplicate checks) and scores it against the vendor master and register. */
  scoreFraud(input: {
    caseId: string;
    vendorId: string | null;
    facts: InvoiceFacts;
    text: string;
    poIssuedOn: string | null;
    policy: InvoicePolicy;
    at: string;
  }): Promise<FraudAssessment>;
  /** Records what became of the invoice; an approved one is posted to its vendor and PO, once. */
  settleInvoice(input: {
    caseId: string;
    outcome: Outcome;
    poNumber: string | null;
    lines: { poLineNo: number; quantity: number }[];
  }): Promise<void>;
  /** Puts a sample of the invoices the agent approved alone in the window into the audit queue. */
  drawInvoiceAudit(input: { from: string; to: string; rate: number }): Promise<{ eligible: number; drawn: string[] }>;
}

export interface GovernorActivities {
  /**
   * The error-budget figures over the fast and the slow window, counted in PostgreSQL, globally
   * and per predicted category; with a reference window, the early warnings too (also raised as alerts).
   */
  evaluateBudget(windows: BudgetWindows): Promise<BudgetFigures>;
  broadcastModeChange(input: { change: ModeState; previous: ModeState['mode'] }): Promise<{ signalled: number }>;
}

export type Activities = CaseActivities & TicketActivities & InvoiceActivities & GovernorActivities;
