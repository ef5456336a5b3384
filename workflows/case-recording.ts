// Recording a case in PostgreSQL from its workflow, for every kind: each state change as a new
// version of the case row, then the decision. When PostgreSQL refuses the data itself (the
// recording activity fails with UNSTORABLE_DATA, for good), the case is parked in the manual queue
// with the reason and recorded once more as a storable copy; it never retries the same data
// forever. The workflow's history keeps the original either way.
import { ActivityFailure, ApplicationFailure, type SearchAttributeUpdatePair } from '@temporalio/common';
import { log, proxyActivities, proxyLocalActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { DecisionRecord, Suggestion } from '../domain/case';
import { UNSTORABLE_DATA } from '../domain/failures';
import { findUnstorableText, storableCopy } from '../domain/storable-text';
import type { CaseActivities, CaseSnapshot, RefusedReviewRecord } from './activity-types';
import type { CaseLifecycle } from './case-lifecycle';

// A one-row read: as a local activity it costs no extra round trip through the server.
export const { currentMode } = proxyLocalActivities<CaseActivities>({ startToCloseTimeout: '10 seconds' });
// Recording must eventually succeed: a database outage delays the case, it never loses it.
//
// The decision is a regular activity, on purpose. A local activity runs before its workflow task
// is persisted: were that task lost, a retry could decide otherwise (another reviewer's Update
// first, another mode), and PostgreSQL would hold a decision the history does not. A regular
// activity is scheduled by the very task that decided, so the row always matches the history.
const { recordCase, recordDecision } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

// The same write inside the workflow task that heard a change while the case waits: no activity
// task through the server. Local retries back off with timers past a minute, so an outage still
// only delays the case.
const { recordCase: recordCaseLocal } = proxyLocalActivities<CaseActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

// A refused signal's record is for the audit trail only (history and the case state keep it too):
// bounded, so that no failure can keep a decided case's workflow from finishing.
const { recordRefusedReview } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 20 },
});

function unstorableProblem(err: unknown): string | null {
  // A regular activity's failure arrives wrapped in an ActivityFailure; a local activity's
  // non-retryable failure arrives as the activity threw it.
  const failure = err instanceof ActivityFailure ? err.cause : err;
  if (failure instanceof ApplicationFailure && failure.type === UNSTORABLE_DATA) return failure.message;
  return null;
}

export interface CaseRecorderOptions<S extends Suggestion> {
  lifecycle: CaseLifecycle<S>;
  /** The case row's content as of now: state, the kind's input, thresholds, ids. */
  snapshot(): CaseSnapshot;
  /** The kind's own search attributes (an invoice's vendor, amount, fraud score), upserted with the rest. */
  kindSearchAttributes?(): SearchAttributeUpdatePair[];
}

export class CaseRecorder<S extends Suggestion> {
  constructor(private readonly options: CaseRecorderOptions<S>) {}

  /**
   * Records the case's current state as a new version of its row (and its search attributes);
   * `local`: through a local activity, for changes heard while the case waits.
   */
  async publish(how?: { local: boolean }): Promise<void> {
    this.nextVersion();
    const { lifecycle } = this.options;
    const version = lifecycle.state.version;
    const record = how?.local ? recordCaseLocal : recordCase;
    await this.recordOrPark(
      () => record(this.options.snapshot()),
      () => record(storableCopy(this.options.snapshot())),
    );
    lifecycle.recordedVersion = Math.max(lifecycle.recordedVersion, version);
  }

  /**
   * Records the routed case, unless the agent decides it alone: then the decision is its only
   * write. Text PostgreSQL would refuse is written first anyway, so that the refusal parks the
   * case for a person before any decision.
   */
  async publishRouted(): Promise<void> {
    const decidedAlone = !this.options.lifecycle.waitsForReview;
    if (decidedAlone && findUnstorableText(this.options.snapshot()) === null) return;
    await this.publish();
  }

  /** Records the decision and the decided case in one transaction. */
  async decide(decision: DecisionRecord<S>): Promise<void> {
    await this.recordOrPark(
      () => recordDecision({ snapshot: this.options.snapshot(), decision }),
      () => recordDecision(storableCopy({ snapshot: this.options.snapshot(), decision })),
    );
  }

  /**
   * Keeps a refused signal in review_attempts, as a storable copy (its payload may be the very
   * text that was refused). A refusal that still cannot be stored is logged, never retried forever.
   */
  async recordRefusal(refused: RefusedReviewRecord): Promise<void> {
    try {
      await recordRefusedReview(storableCopy(refused));
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const problem = unstorableProblem(err) ?? err.cause?.message ?? err.message;
      log.error('refused review not recorded in PostgreSQL (it stays in history)', { caseId: refused.caseId, problem });
    }
  }

  searchAttributes(): void {
    upsertSearchAttributes([
      ...this.options.lifecycle.searchAttributes(),
      ...(this.options.kindSearchAttributes?.() ?? []),
    ]);
  }

  private nextVersion(): void {
    this.options.lifecycle.nextVersion();
    this.searchAttributes();
  }

  private async recordOrPark(write: () => Promise<void>, writeStorableCopy: () => Promise<void>): Promise<void> {
    try {
      await write();
      return;
    } catch (err) {
      const problem = unstorableProblem(err);
      if (!problem) throw err;
      this.options.lifecycle.park(problem);
    }
    // The parked state is a change of its own: a newer version, written as a copy PostgreSQL takes.
    if (!this.options.lifecycle.state.decision) this.nextVersion();
    try {
      await writeStorableCopy();
    } catch (err) {
      const problem = unstorableProblem(err);
      if (!problem) throw err;
      // Nothing more to try: the case waits in the manual queue, visible in Temporal only.
      log.error('case cannot be recorded in PostgreSQL, even as a storable copy', {
        caseId: this.options.lifecycle.state.caseId,
        problem,
      });
    }
  }
}
