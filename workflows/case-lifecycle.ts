// The state of one case and the transitions every kind of case goes through: proposal, routing by
// the mode, escalation, the final timeout, the decision. Kind-independent, so the ticket workflow
// and the invoice workflow keep the same lifecycle and differ only in how they reach a proposal.
// Pure workflow-side state: no activities here; the workflow decides when to record.
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { log } from '@temporalio/workflow';
import {
  currentCategory,
  newCaseState,
  type Approval,
  type CaseKind,
  type CaseState,
  type CaseStatus,
  type CriticalFlag,
  type DecisionRecord,
  type Mode,
  type ModeState,
  type Outcome,
  type RefusedReview,
  type ReviewInput,
  type Route,
  type RoutingDecision,
  type Suggestion,
  type Thresholds,
} from '../domain/case';
import type { Reviewed, ReviewRefusal } from '../domain/review';
import { effectiveMode } from '../domain/scopes';
import * as SA from './search-attributes';

const OUTCOME_OF_REVIEW: Record<ReviewInput['decision'], Outcome> = {
  approve: 'approved',
  correct: 'corrected',
  reject: 'rejected',
  request_changes: 'changes_requested',
};

export interface CaseLifecycleOptions<S extends Suggestion> {
  caseId: string;
  kind: CaseKind;
  thresholds: Thresholds;
  /** The kind's routing policy for its proposal in a mode. */
  route(suggestion: S, mode: Mode): RoutingDecision;
  /**
   * Where the case goes in the end, for kinds whose reviews do not pick a category: an invoice's
   * approval means "pay", whatever the agent proposed. Default: the ticket's rule (the proposal,
   * or the reviewer's correction; none when rejected).
   */
  finalCategory?(outcome: Outcome, suggestion: S): string | null;
}

export class CaseLifecycle<S extends Suggestion> {
  readonly state: CaseState<S>;
  /** The decision has been recorded: an Update that led to it may answer now. */
  recorded = false;
  /** The newest version of the case PostgreSQL has confirmed (an Update may answer once it is there). */
  recordedVersion = 0;
  private modeSeq = -1;
  /** The last broadcast heard: the global mode and the scoped ones, of which the case's apply. */
  private broadcast: ModeState | null = null;
  private timedOut = false;
  private parked = false;
  /** The state changed in a way the case row does not show yet. */
  private dirty = false;

  constructor(private readonly options: CaseLifecycleOptions<S>) {
    this.state = newCaseState(options.caseId, options.kind);
  }

  get hasUnpublishedChanges(): boolean {
    return this.dirty;
  }

  get waitsForReview(): boolean {
    return this.state.route !== 'auto';
  }

  get hasTimedOut(): boolean {
    return this.timedOut;
  }

  /**
   * Takes a broadcast mode; true when it changed the mode the case routes by: the strictest of the
   * global mode and the modes of the case's kind and category. Stale or repeated broadcasts are dropped.
   */
  applyMode(change: ModeState): boolean {
    if (change.seq <= this.modeSeq) return false;
    this.modeSeq = change.seq;
    this.broadcast = change;
    return this.settleMode();
  }

  /** The case's mode from the last broadcast, now that its category may be known. */
  private settleMode(): boolean {
    if (!this.broadcast) return false;
    const mode = effectiveMode(this.broadcast, this.state.kind, this.state.suggestion?.category);
    if (this.state.mode === mode) return false;
    this.state.mode = mode;
    this.dirty = true;
    return true;
  }

  /** A mode change heard while the case runs: an undecided case with a proposal is routed again. */
  hearMode(change: ModeState): void {
    if (this.applyMode(change) && this.state.suggestion && !this.state.decision) this.reroute();
  }

  /** The agent's proposal; its category may put the case under a scoped mode. */
  propose(suggestion: S): void {
    this.state.suggestion = suggestion;
    this.settleMode();
  }

  /** A critical rule recognised the case: its team stands beside the model's proposal. */
  flag(critical: CriticalFlag): void {
    this.state.critical = critical;
    this.dirty = true;
  }

  /**
   * Applies the routing policy again. A case that has timed out or was parked stays in the manual
   * queue; a case already with people stays with them when the mode relaxes (a reviewer may be
   * working on it), though its suggestion may become visible again.
   */
  reroute(): void {
    const decision = this.options.route(this.state.suggestion!, this.state.mode);
    const held = this.parked || this.timedOut;
    const withPeople = this.state.route !== null && this.state.route !== 'auto';
    const keptForReview = !held && withPeople && decision.route === 'auto';
    const route: Route = held ? 'manual' : keptForReview ? 'assisted' : decision.route;
    this.state.route = route;
    this.state.routeReason = this.parked
      ? 'unrecordable_data'
      : this.timedOut
        ? 'review_timeout'
        : keptForReview
          ? 'kept_for_review'
          : decision.reason;
    this.state.suggestionVisible = decision.suggestionVisible;
    this.state.status = this.statusFor(route);
    this.dirty = true;
  }

  /**
   * The case could not be recorded as it is: a person takes it from the manual queue, whatever
   * the agent proposes. A decided case keeps its decision and only records the problem.
   */
  park(problem: string): void {
    this.state.problem = problem;
    if (this.state.decision) return;
    this.parked = true;
    if (this.state.suggestion) {
      this.reroute();
    } else {
      this.state.route = 'manual';
      this.state.routeReason = 'unrecordable_data';
      this.state.status = 'manual';
      this.dirty = true;
    }
    log.warn('case parked in the manual queue: it cannot be recorded as it is', {
      caseId: this.state.caseId,
      problem,
    });
  }

  escalate(): void {
    this.state.escalated = true;
    if (this.state.status === 'manual' || this.state.status === 'awaiting_review') this.state.status = 'escalated';
    log.info('review escalated', { caseId: this.state.caseId });
  }

  timeOut(): void {
    this.timedOut = true;
    this.reroute();
    log.info('review timed out: case moved to the manual queue', { caseId: this.state.caseId });
  }

  /**
   * One approval of several the case needs: kept on the case, which goes on waiting for the next
   * approver. Returns the version that will show it, once published.
   */
  addApproval(approval: Approval): number {
    (this.state.approvals ??= []).push(approval);
    this.dirty = true;
    return this.state.version + 1;
  }

  /** Signals cannot be refused to their sender: the case keeps the refusal for the audit trail. */
  refuse(review: Partial<ReviewInput>, refusal: ReviewRefusal, at: string): void {
    const entry: RefusedReview = { review, reason: refusal.message, at };
    this.state.refusedReviews.push(entry);
  }

  /** Marks the state as about to be recorded: a new version, nothing left unpublished. */
  nextVersion(): void {
    this.dirty = false;
    this.state.version += 1;
  }

  /** The decision the review (or, on the auto route, the agent) leads to; the case is decided. */
  decide(reviewed: Reviewed<ReviewInput> | null, decidedAt: string): DecisionRecord<S> {
    const suggestion = this.state.suggestion!;
    const review = reviewed?.review ?? null;
    const outcome: Outcome = review ? OUTCOME_OF_REVIEW[review.decision] : 'auto_decided';
    const byRule = outcome === 'auto_decided' && this.state.routeReason === 'critical_rule' && this.state.critical;
    const finalCategory = this.options.finalCategory
      ? this.options.finalCategory(outcome, suggestion)
      : outcome === 'rejected' || outcome === 'changes_requested'
        ? null
        : outcome === 'corrected'
          ? review!.category!
          : byRule
            ? this.state.critical!.category
            : suggestion.category;
    const decision: DecisionRecord<S> = {
      caseId: this.state.caseId,
      kind: this.state.kind,
      outcome,
      finalCategory,
      route: this.state.route!,
      routeReason: this.state.routeReason!,
      mode: this.state.mode,
      thresholds: this.options.thresholds,
      suggestion,
      reviewer: review?.reviewer ?? null,
      comment: review?.comment ?? null,
      via: reviewed?.via ?? null,
      escalated: this.state.escalated,
      decidedAt,
      ...(this.state.critical ? { critical: this.state.critical } : {}),
      ...(this.state.approvals ? { approvals: this.state.approvals } : {}),
    };
    this.state.decision = decision;
    this.state.status = 'decided';
    this.state.version += 1;
    return decision;
  }

  /**
   * The search attributes for the Web UI. `CaseCategory` is where the case is now (the final
   * category once decided), `CaseSuggestedCategory` the agent's proposal while it may be shown.
   */
  searchAttributes(): SearchAttributeUpdatePair[] {
    const visible = this.state.suggestionVisible ? this.state.suggestion : null;
    return [
      { key: SA.CaseKind, value: this.state.kind },
      { key: SA.CaseStatus, value: this.state.status },
      { key: SA.CaseMode, value: this.state.mode },
      { key: SA.CaseRoute, value: this.state.route },
      { key: SA.CaseCategory, value: currentCategory(this.state) },
      { key: SA.CaseSuggestedCategory, value: visible?.category ?? null },
      { key: SA.CaseConfidence, value: visible?.confidence ?? null },
      { key: SA.CaseEscalated, value: this.state.escalated },
    ];
  }

  private statusFor(route: Route): CaseStatus {
    if (route === 'auto') return 'processing';
    if (route === 'manual') return this.state.escalated && !this.timedOut && !this.parked ? 'escalated' : 'manual';
    return this.state.escalated ? 'escalated' : 'awaiting_review';
  }
}
