// The policy that turns error-budget figures into mode changes. Pure: the governor workflow
// applies it on every tick, the tests drive it with tables. Automation tightens at once, on
// evidence from enough evaluations (the Wilson lower bound, never the raw rate); it relaxes one
// step at a time after a clean period, and never leaves shutdown (a person does).
import type { Mode } from './case';
import type { WindowFigures } from './error-budget';

export interface BudgetPolicy {
  /** Share of evaluated proposals that may be wrong (the budget), e.g. 0.02. */
  budget: number;
  /** Lower bound over the slow window from which every case goes to a person. */
  humanRoutingAt: number;
  /** Lower bound over the slow window from which the agent decides nothing. */
  shutdownAt: number;
  /** Fewer evaluations than this in a window: no action, whatever the rate. */
  minEvaluated: number;
  /** How long the figures must stay within budget before relaxing one step. */
  relaxAfterMs: number;
}

/** The windows the budget is counted over, and its share. */
export interface BudgetWindows {
  fastWindowMs: number;
  slowWindowMs: number;
  budget: number;
}

/** What the governor steers by: the policy, its windows and how often it looks. */
export interface GovernorBudget {
  policy: BudgetPolicy;
  tickMs: number;
  fastWindowMs: number;
  slowWindowMs: number;
}

export const DEFAULT_BUDGET_POLICY: BudgetPolicy = {
  budget: 0.02,
  humanRoutingAt: 0.05,
  shutdownAt: 0.1,
  minEvaluated: 20,
  relaxAfterMs: 30 * 60_000,
};

/** Strictness order of the modes: later is stricter. */
const LADDER: readonly Mode[] = ['normal', 'reduced', 'human_routing', 'shutdown'];

export const stricter = (a: Mode, b: Mode) => LADDER.indexOf(a) > LADDER.indexOf(b);

export interface BudgetEvidence {
  rule: string;
  fast: WindowFigures;
  slow: WindowFigures;
  policy: BudgetPolicy;
}

export interface ModeProposal {
  mode: Mode;
  reason: string;
  evidence: BudgetEvidence;
}

/** The mode the figures call for, or null when they call for none (too few evaluations, within budget). */
export function breachedMode(
  fast: WindowFigures,
  slow: WindowFigures,
  policy: BudgetPolicy,
): { mode: Mode; rule: string } | null {
  if (slow.evaluated < policy.minEvaluated) return null;
  if (slow.lowerBound >= policy.shutdownAt) {
    return {
      mode: 'shutdown',
      rule: `error rate over ${slow.window} at least ${pct(policy.shutdownAt)} (lower bound)`,
    };
  }
  if (slow.lowerBound >= policy.humanRoutingAt) {
    return {
      mode: 'human_routing',
      rule: `error rate over ${slow.window} at least ${pct(policy.humanRoutingAt)} (lower bound)`,
    };
  }
  // Burning the budget: both windows agree, so neither a short burst nor an old one acts alone.
  if (fast.evaluated >= policy.minEvaluated && fast.lowerBound > policy.budget && slow.lowerBound > policy.budget) {
    return { mode: 'reduced', rule: `budget of ${pct(policy.budget)} exceeded over ${fast.window} and ${slow.window}` };
  }
  return null;
}

/**
 * What automation should do now: tighten to what the figures call for, or relax one step after
 * `relaxAfterMs` without a breach; null when the mode is right as it is.
 */
export function proposeMode(
  current: Mode,
  fast: WindowFigures,
  slow: WindowFigures,
  policy: BudgetPolicy,
  cleanForMs: number,
): ModeProposal | null {
  const breach = breachedMode(fast, slow, policy);
  const evidence = (rule: string): BudgetEvidence => ({ rule, fast, slow, policy });
  if (breach && stricter(breach.mode, current)) {
    return { mode: breach.mode, reason: `error budget: ${breach.rule}`, evidence: evidence(breach.rule) };
  }
  if (breach || current === 'normal' || current === 'shutdown' || cleanForMs < policy.relaxAfterMs) return null;
  // Relaxing needs evidence that the agent is right again (reviews in a strict mode are shadow
  // evaluations of its proposals), not just quiet.
  if (!isClean(slow, policy)) return null;
  const looser = LADDER[LADDER.indexOf(current) - 1];
  const rule = `within budget for ${Math.round(cleanForMs / 60_000)} min (${slow.errors}/${slow.evaluated} over ${slow.window})`;
  return { mode: looser, reason: `error budget: ${rule}`, evidence: evidence(rule) };
}

/** Enough evaluations, and their lower bound within budget: a tick that counts towards relaxing. */
export function isClean(slow: WindowFigures, policy: BudgetPolicy): boolean {
  return slow.evaluated >= policy.minEvaluated && slow.lowerBound <= policy.budget;
}

function pct(share: number): string {
  return `${+(share * 100).toFixed(2)}%`;
}
