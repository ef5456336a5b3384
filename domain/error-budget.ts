// The error budget's arithmetic: how often the agent's evaluated proposals were wrong in a window,
// and how sure that figure is. Small samples must not move anything, so every rate comes with the
// lower bound of its Wilson score interval: one error among three evaluations is not 33%.

/** z for a one-sided 95% bound. */
const Z_95 = 1.645;

/** Lower bound of the Wilson score interval for errors/evaluated (0 when nothing was evaluated). */
export function wilsonLowerBound(errors: number, evaluated: number, z = Z_95): number {
  if (evaluated <= 0) return 0;
  const rate = errors / evaluated;
  const z2 = z * z;
  const centre = rate + z2 / (2 * evaluated);
  const spread = z * Math.sqrt((rate * (1 - rate)) / evaluated + z2 / (4 * evaluated * evaluated));
  return Math.max(0, (centre - spread) / (1 + z2 / evaluated));
}

export interface WindowFigures {
  /** The window's length, e.g. '5m' or '1h'. */
  window: string;
  evaluated: number;
  errors: number;
  /** errors / evaluated, 0 when nothing was evaluated. */
  rate: number;
  /** The rate's 95% Wilson lower bound: what the governor may act on. */
  lowerBound: number;
  /** The share of the budget not yet spent in this window (negative when overspent). */
  budgetLeft: number;
}

export function windowFigures(window: string, evaluated: number, errors: number, budget: number): WindowFigures {
  const rate = evaluated > 0 ? errors / evaluated : 0;
  return {
    window,
    evaluated,
    errors,
    rate,
    lowerBound: wilsonLowerBound(errors, evaluated),
    budgetLeft: budget > 0 ? 1 - rate / budget : 0,
  };
}

/** A window's name as people read it: '5m', '1h', '90s'. */
export function windowName(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}
