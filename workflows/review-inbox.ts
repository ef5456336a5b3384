// Human review inside a workflow, reusable by every kind of case: one Update (validated, answers
// the caller) and one Signal (what the Web UI sends) feed the same inbox under the same rules.
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import { ApplicationFailure, condition, log, setHandler } from '@temporalio/workflow';
import type { ReviewRefusal } from '../domain/review';

export interface Reviewed<R> {
  review: R;
  at: string;
  via: 'update' | 'signal';
}

export interface ReviewInboxOptions<R, Result> {
  update: UpdateDefinition<Result, [R]>;
  signal: SignalDefinition<[R]>;
  /** Why this review cannot be taken now, or null. Must be synchronous: validators cannot await. */
  refusal(review: R): ReviewRefusal | null;
  /** Signals cannot be refused to their sender: the case keeps the refusal for the audit trail. */
  onRefusedSignal(review: R, refusal: ReviewRefusal): void;
  /** The Update answers once the decision this review leads to has been recorded. */
  settled(): boolean;
  result(): Result;
}

/** Registers the handlers; call it before the workflow's first await so early messages are kept. */
export class ReviewInbox<R, Result> {
  received: Reviewed<R> | null = null;

  constructor(private readonly o: ReviewInboxOptions<R, Result>) {
    setHandler(
      o.update,
      async (review) => {
        // Two updates can pass validation before either is applied: the second must lose cleanly.
        const refusal = this.received ? alreadyReviewed : o.refusal(review);
        if (refusal)
          throw ApplicationFailure.create({ type: refusal.code, message: refusal.message, nonRetryable: true });
        this.received = { review, at: new Date().toISOString(), via: 'update' };
        await condition(o.settled);
        return o.result();
      },
      {
        validator: (review) => {
          const refusal = this.received ? alreadyReviewed : o.refusal(review);
          if (refusal)
            throw ApplicationFailure.create({ type: refusal.code, message: refusal.message, nonRetryable: true });
        },
      },
    );
    setHandler(o.signal, (review) => {
      const refusal = this.received ? alreadyReviewed : o.refusal(review);
      if (refusal) {
        log.warn('review signal refused', { reason: refusal.message });
        o.onRefusedSignal(review, refusal);
        return;
      }
      this.received = { review, at: new Date().toISOString(), via: 'signal' };
    });
  }
}

const alreadyReviewed: ReviewRefusal = { code: 'not_awaiting_review', message: 'the case has already been reviewed' };

export interface ReviewWaitOptions {
  escalateAfterMs: number;
  finalTimeoutMs: number;
  /** Already escalated or timed out before this wait (e.g. a wait resumed after re-routing). */
  escalated: boolean;
  timedOut: boolean;
  startedAt: number;
  /** True when something outside the review needs the workflow's attention (e.g. a mode change). */
  interrupted(): boolean;
  onEscalated(): Promise<void>;
  onTimedOut(): Promise<void>;
}

export type ReviewWaitResult = 'reviewed' | 'interrupted';

/**
 * Waits for a review with escalation and a final timeout measured from `startedAt`.
 * A timeout never decides for a human: it escalates, then hands over to the manual queue, and
 * the wait goes on until a person reviews or the caller's `interrupted` says to stop.
 */
export async function awaitReview<R>(inbox: ReviewInbox<R, unknown>, o: ReviewWaitOptions): Promise<ReviewWaitResult> {
  let { escalated, timedOut } = o;
  const ready = () => inbox.received !== null || o.interrupted();
  for (;;) {
    if (inbox.received) return 'reviewed';
    if (o.interrupted()) return 'interrupted';
    if (timedOut) {
      await condition(ready);
      continue;
    }
    const deadline = o.startedAt + (escalated ? o.finalTimeoutMs : o.escalateAfterMs);
    const remaining = deadline - Date.now();
    if (remaining > 0 && (await condition(ready, remaining))) continue;
    if (!escalated) {
      escalated = true;
      await o.onEscalated();
    } else {
      timedOut = true;
      await o.onTimedOut();
    }
  }
}
