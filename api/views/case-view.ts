// A case as the API returns it, for every kind: the shared part here, the kind's own part from its
// view module. `category` is where the case is now, what a client routes by; the agent's
// proposal is under `suggestion` and stays there after a reviewer corrects it.
import {
  currentCategory,
  type CaseKind,
  type CaseStatus,
  type CriticalFlag,
  type DecisionSummary,
  type Mode,
  type Route,
  type RouteReason,
  type Thresholds,
} from '../../domain/case';
import type { CaseRecord } from '../../db/cases';
import { invoiceParts, type InvoiceParts } from './invoice-view';
import { ticketParts, type TicketParts } from './ticket-view';

interface CaseViewBase {
  caseId: string;
  kind: CaseKind;
  externalId: string;
  status: CaseStatus;
  route: Route | null;
  routeReason: RouteReason | null;
  mode: Mode;
  /**
   * The category (team) the case is with now: the final one once decided (null when rejected),
   * before that the agent's proposal, null while the proposal is hidden.
   */
  category: string | null;
  /** True in shutdown: the agent's proposal is withheld so that it does not anchor the reviewer. */
  suggestionHidden: boolean;
  modelVersion: string | null;
  escalated: boolean;
  /** Why the case could not be recorded as it was; it then waits in the manual queue. */
  problem: string | null;
  /**
   * The team a versioned critical rule names for the case (with the rule and rules version),
   * shown beside the agent's proposal; null when no rule matched.
   */
  critical: CriticalFlag | null;
  decision: DecisionSummary | null;
  reviewer: string | null;
  thresholds: Thresholds | null;
  workflowId: string;
  runId: string | null;
  createdAt: string;
  updatedAt: string;
  decidedAt: string | null;
}

/** The kind's own part of a view: its input and the shape of its agent's proposal. */
export type KindParts = TicketParts | InvoiceParts;

export type CaseView = CaseViewBase & KindParts;

const KIND_PARTS: Record<CaseKind, (record: CaseRecord, hidden: boolean) => KindParts> = {
  ticket: ticketParts,
  invoice: invoiceParts,
};

export function toCaseView(record: CaseRecord): CaseView {
  const hidden = !record.suggestionVisible;
  return {
    caseId: record.caseId,
    kind: record.kind,
    externalId: record.externalId,
    status: record.status,
    route: record.route,
    routeReason: record.routeReason,
    mode: record.mode,
    category: currentCategory(record),
    suggestionHidden: hidden,
    modelVersion: record.modelVersion,
    escalated: record.escalated,
    problem: record.problem,
    critical: record.critical,
    decision: record.decision,
    reviewer: record.decision?.reviewer ?? null,
    thresholds: record.thresholds,
    workflowId: record.workflowId,
    runId: record.runId,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    decidedAt: record.decision?.decidedAt ?? null,
    ...KIND_PARTS[record.kind](record, hidden),
  };
}
