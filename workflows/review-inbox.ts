// Human review inside a workflow, reusable by every kind of case: one Update (validated, answers
// the caller) and one Signal (what the Web UI sends) feed the same inbox under the same rules.
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import { ApplicationFailure, condition, log, setHandler, sleep } from '@temporalio/workflow';
import type { ReviewInput, ReviewTimeouts, Suggestion } from '../domain/case';
import type { Reviewed, ReviewRefusal } from '../domain/review';
import type { CaseLifecycle } from './case-lifecycle';
import { NOT_AWAITING_REVIEW } from '../domain/failures';

export interface ReviewInboxOptions<R, Result> {
  update: UpdateDefinition<Result, [R]>;
  signal: SignalDefinition<[R]>;
  /** Why this review cannot be taken now, or null. Must be synchronous: validators cannot await. */
  refusal(review: R): ReviewRefusal | null;
  /** Signals cannot be refused to their sender: the case keeps the refusal for the audit trail. */
  onRefusedSignal(review: R, refusal: ReviewRefusal): void | Promise<void>;
  /** The Update answers once the decision this review leads to has been recorded. */
  settled(): boolean;
  result(): Result;
  /**
   * For cases that need more than one review (four eyes): takes a review that passed the checks
   * and says whether it completes what the case waits for. When it does not, the case keeps it
   * and goes on waiting; the Update answers once `recorded(version)` says the version showing it
   * is in PostgreSQL. Absent: every review completes.
   */
  accept?(review: R, via: Reviewed<R>['via'], at: string): { complete: true } | { complete: false; version: number };
  recorded?(version: number): boolean;
}

/** Registers the handlers; call it before the workflow's first await so early messages are kept. */
export class ReviewInbox<R, Result> {
  received: Reviewed<R> | null = null;

  constructor(options: ReviewInboxOptions<R, Result>) {
    setHandler(
      options.update,
      async (review) => {
        // Two updates can pass validation before either is applied: the second must lose cleanly.
        const refusal = this.received ? alreadyReviewed : options.refusal(review);
        if (refusal)
          throw ApplicationFailure.create({ type: refusal.code, message: refusal.message, nonRetryable: true });
        const at = new Date().toISOString();
        const taken = options.accept?.(review, 'update', at) ?? { complete: true };
        if (!taken.complete) {
          await condition(() => options.recorded!(taken.version) || options.settled());
          return options.result();
        }
        this.received = { review, at, via: 'update' };
        await condition(options.settled);
        return options.result();
      },
      {
        validator: (review) => {
          const refusal = this.received ? alreadyReviewed : options.refusal(review);
          if (refusal)
            throw ApplicationFailure.create({ type: refusal.code, message: refusal.message, nonRetryable: true });
        },
      },
    );
    setHandler(options.signal, async (review) => {
      const refusal = this.received ? alreadyReviewed : options.refusal(review);
      if (refusal) {
        log.warn('review signal refused', { reason: refusal.message });
        await options.onRefusedSignal(review, refusal);
        return;
      }
      const at = new Date().toISOString();
      const taken = options.accept?.(review, 'signal', at) ?? { complete: true };
      if (taken.complete) this.received = { review, at, via: 'signal' };
    });
  }
}

const alreadyReviewed: ReviewRefusal = {
  code: NOT_AWAITING_REVIEW,
  message: 'the case has already been reviewed',
};

export interface ReviewWaitOptions {
  escalateAfterMs: number;
  finalTimeoutMs: number;
  /** Already escalated or timed out before this wait (e.g. a wait resumed after re-routing). */
  escalated: boolean;
  timedOut: boolean;
  startedAt: number;
  /** True when something outside the review needs the workflow's attention (e.g. a mode change). */
  interrupted(): boolean;
  /**
   * Keeps one timer per deadline across interruptions. Without it each interruption cancels the
   * review's timer and starts it again: two more commands for every mode change heard.
   */
  timer: DeadlineTimer;
  onEscalated(): Promise<void>;
  onTimedOut(): Promise<void>;
}

export type ReviewWaitResult = 'reviewed' | 'interrupted';

/**
 * Waits for a review with escalation and a final timeout measured from `startedAt`.
 * A timeout never decides for a human: it escalates, then hands over to the manual queue, and
 * the wait goes on until a person reviews or the caller's `interrupted` says to stop.
 */
export async function awaitReview<R>(
  inbox: ReviewInbox<R, unknown>,
  options: ReviewWaitOptions,
): Promise<ReviewWaitResult> {
  let { escalated, timedOut } = options;
  const ready = () => inbox.received !== null || options.interrupted();
  for (;;) {
    if (inbox.received) return 'reviewed';
    if (options.interrupted()) return 'interrupted';
    if (timedOut) {
      await condition(ready);
      continue;
    }
    const deadline = options.startedAt + (escalated ? options.finalTimeoutMs : options.escalateAfterMs);
    if (await options.timer.until(deadline, ready)) continue;
    if (!escalated) {
      escalated = true;
      await options.onEscalated();
    } else {
      timedOut = true;
      await options.onTimedOut();
    }
  }
}

/** A review deadline's timer that outlives the waits it serves: started once, never cancelled. */
export class DeadlineTimer {
  private deadline: number | null = null;
  private fired = false;

  /** Waits until `ready` or the deadline passes; true when `ready` holds. */
  async until(deadline: number, ready: () => boolean): Promise<boolean> {
    if (deadline !== this.deadline) {
      this.deadline = deadline;
      const remaining = deadline - Date.now();
      this.fired = remaining <= 0;
      if (!this.fired) {
        void sleep(remaining).then(() => {
          if (this.deadline === deadline) this.fired = true;
        });
      }
    }
    await condition(() => ready() || this.fired);
    return ready();
  }
}

/** What waiting for a review needs from the case: its lifecycle and how to record a change. */
export interface CaseReviewWait {
  lifecycle: CaseLifecycle<Suggestion>;
  inbox: ReviewInbox<ReviewInput, unknown>;
  timeouts: ReviewTimeouts;
  /**
   * Records the case's current state (a new version of the case row); `local`: by a local
   * activity, for a change heard while waiting (a mode change, a first approval of two), written
   * in the workflow task that heard it while the review's timer keeps running.
   */
  publish(how?: { local: boolean }): Promise<void>;
}

/**
 * Waits until a person has reviewed a case that the policy did not let the agent decide alone.
 * Escalation, the final timeout and mode changes are recorded as they happen; a mode change that
 * routes the case to `auto` ends the wait without a review.
 */
export async function waitForCaseReview({ lifecycle, inbox, timeouts, publish }: CaseReviewWait): Promise<void> {
  const startedAt = Date.now();
  const timer = new DeadlineTimer();
  while (lifecycle.waitsForReview && !inbox.received) {
    const result = await awaitReview(inbox, {
      ...timeouts,
      startedAt,
      escalated: lifecycle.state.escalated,
      timedOut: lifecycle.hasTimedOut,
      interrupted: () => lifecycle.hasUnpublishedChanges,
      timer,
      onEscalated: async () => {
        lifecycle.escalate();
        await publish();
      },
      onTimedOut: async () => {
        lifecycle.timeOut();
        await publish();
      },
    });
    if (result === 'interrupted') await publish({ local: true });
  }
}
