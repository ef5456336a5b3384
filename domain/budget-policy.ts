// The policy that turns error-budget figures into mode changes. Pure: the governor workflow
// applies it on every tick, the tests drive it with tables. Automation tightens at once, on
// evidence from enough evaluations (the Wilson lower bound, never the raw rate); it relaxes one
// step at a time after a clean period, and never leaves shutdown (a person does).
import type { Mode, ModeState } from './case';
import type { EarlyWarning } from './early-warnings';
import { windowFigures, type WindowFigures } from './error-budget';
import { GLOBAL_SCOPE, categoryScope, modeOfScope, stricter } from './scopes';

export interface BudgetPolicy {
  /** Share of evaluated proposals that may be wrong (the budget), e.g. 0.02. */
  budget: number;
  /**
   * Lower bound over the slow window from which the model decides nothing: critical rules route
   * what they recognise, people the rest. Absent in policies from before safe mode existed.
   */
  safeAt?: number;
  /** Lower bound over the slow window from which every case goes to a person. */
  humanRoutingAt: number;
  /** Lower bound over the slow window from which the agent decides nothing. */
  shutdownAt: number;
  /** Fewer evaluations than this in a window: no action, whatever the rate. */
  minEvaluated: number;
  /** How long the figures must stay within budget before relaxing one step. */
  relaxAfterMs: number;
  /**
   * When a global breach's errors are concentrated in one category (at least this share of
   * them), that category is held instead of the whole system. Absent: 0.6.
   */
  concentratedShare?: number;
}

/** The windows the budget is counted over, and its share. */
export interface BudgetWindows {
  fastWindowMs: number;
  slowWindowMs: number;
  budget: number;
  /**
   * The history early warnings compare the fast window's predictions against (the window before
   * it); absent: no early warnings.
   */
  referenceWindowMs?: number;
  /**
   * Count only findings on proposals more confident than this: what the agent would decide alone
   * (audits, feedback on its decisions, and shadow evaluations of confident proposals a strict
   * mode sent to people). Absent: every finding counts, reviews of uncertain proposals included.
   */
  confidentAbove?: number;
}

/** What the governor steers by: the policy, its windows and how often it looks. */
export interface GovernorBudget {
  policy: BudgetPolicy;
  tickMs: number;
  fastWindowMs: number;
  slowWindowMs: number;
  referenceWindowMs?: number;
  confidentAbove?: number;
}

export const DEFAULT_BUDGET_POLICY: BudgetPolicy = {
  budget: 0.02,
  safeAt: 0.035,
  humanRoutingAt: 0.05,
  shutdownAt: 0.1,
  minEvaluated: 20,
  relaxAfterMs: 30 * 60_000,
  concentratedShare: 0.6,
};

/** A category needs at least this many errors before the global errors count as concentrated in it. */
const MIN_CONCENTRATED_ERRORS = 3;

/** Strictness order of the modes automation walks: later is stricter. */
const LADDER: readonly Mode[] = ['normal', 'reduced', 'safe', 'human_routing', 'shutdown'];

export interface BudgetEvidence {
  rule: string;
  fast: WindowFigures;
  slow: WindowFigures;
  policy: BudgetPolicy;
  /** 'global' or the scope the figures are for. */
  scope?: string;
  /** Categories left out of the global figures: a scope already holds their errors. */
  contained?: string[];
  /** The early warnings that moved the mode, when they did. */
  warnings?: EarlyWarning[];
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
  if (policy.safeAt !== undefined && slow.lowerBound >= policy.safeAt) {
    return { mode: 'safe', rule: `error rate over ${slow.window} at least ${pct(policy.safeAt)} (lower bound)` };
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
  if (breach) return null;
  return relaxation(current, { fast, slow }, policy, cleanForMs);
}

/** Enough evaluations, and their lower bound within budget: a tick that counts towards relaxing. */
export function isClean(slow: WindowFigures, policy: BudgetPolicy): boolean {
  return slow.evaluated >= policy.minEvaluated && slow.lowerBound <= policy.budget;
}

/** A scope's figures over the two windows. */
export interface ScopeFigures {
  fast: WindowFigures;
  slow: WindowFigures;
}

/** What the governor's activity hands the policy on each tick. */
export interface BudgetFigures extends ScopeFigures {
  /** The same figures for each predicted category that had findings. */
  categories?: Record<string, ScopeFigures>;
  /** Unlabelled signals that the agent's proposals changed. */
  warnings?: EarlyWarning[];
}

export interface ScopedProposal extends ModeProposal {
  /** 'global' or a scope key. */
  scope: string;
}

/** The category most of the remaining errors (slow window) come from, when they are concentrated. */
function concentratedIn(
  figures: BudgetFigures,
  rest: ScopeFigures,
  contained: string[],
  policy: BudgetPolicy,
): { category: string; share: number } | null {
  const candidates = Object.entries(figures.categories ?? {})
    .filter(([category]) => !contained.includes(category))
    .sort(([, a], [, b]) => b.slow.errors - a.slow.errors);
  const [top] = candidates;
  if (!top || rest.slow.errors === 0 || top[1].slow.errors < MIN_CONCENTRATED_ERRORS) return null;
  const share = top[1].slow.errors / rest.slow.errors;
  return share >= (policy.concentratedShare ?? 0.6) ? { category: top[0], share } : null;
}

/** The global figures without the given categories' findings. */
function remainder(figures: BudgetFigures, contained: string[], budget: number): ScopeFigures {
  const minus = (window: 'fast' | 'slow') => {
    let { evaluated, errors } = figures[window];
    for (const category of contained) {
      evaluated -= figures.categories?.[category]?.[window].evaluated ?? 0;
      errors -= figures.categories?.[category]?.[window].errors ?? 0;
    }
    return windowFigures(figures[window].window, Math.max(0, evaluated), Math.max(0, errors), budget);
  };
  return { fast: minus('fast'), slow: minus('slow') };
}

/**
 * Every change the figures call for, global and scoped, in the order to apply them.
 *  - A category whose own figures breach is held in its own scope.
 *  - The global mode acts on the rest: findings of categories a scope already holds (at least in
 *    `safe`, so no model decision of theirs reaches anyone) are left out. Errors concentrated in
 *    one category thus narrow that category, not the whole system; errors spread out narrow it all.
 *  - An early warning moves its scope from `normal` to `reduced`.
 *  - A scope relaxes one step after its clean period, with no breach and no warning of its own.
 * `cleanForMs(scope)` is how long the scope's figures have been clean (see `isClean`).
 */
export function proposeChanges(
  state: Pick<ModeState, 'mode' | 'scopes'>,
  figures: BudgetFigures,
  policy: BudgetPolicy,
  cleanForMs: (scope: string) => number,
): ScopedProposal[] {
  const proposals: ScopedProposal[] = [];
  // Only warnings about the agent's proposals move a mode; findings about people do not.
  const warnings = (figures.warnings ?? []).filter(
    (warning) => warning.scope === GLOBAL_SCOPE || warning.scope.startsWith('category:'),
  );
  const held = { ...(state.scopes ?? {}) };
  const contains = (mode: Mode | undefined) => mode !== undefined && !stricter('safe', mode);

  for (const [category, own] of Object.entries(figures.categories ?? {})) {
    const scope = categoryScope(category);
    const current = modeOfScope(state, scope);
    const breach = breachedMode(own.fast, own.slow, policy);
    if (breach && stricter(breach.mode, current) && stricter(breach.mode, state.mode)) {
      const rule = `${breach.rule} in category ${category}`;
      proposals.push({
        scope,
        mode: breach.mode,
        reason: `error budget: ${rule}`,
        evidence: { rule, ...own, policy, scope },
      });
      held[scope] = breach.mode;
    }
  }

  const contained = Object.keys(figures.categories ?? {}).filter((c) => contains(held[categoryScope(c)]));
  let rest = contained.length > 0 ? remainder(figures, contained, policy.budget) : figures;
  let breach = breachedMode(rest.fast, rest.slow, policy);
  // A global breach whose errors mostly come from one category holds that category instead,
  // before its own figures are enough to act on; the rest is then judged without it.
  while (breach && stricter(breach.mode, state.mode)) {
    const culprit = concentratedIn(figures, rest, contained, policy);
    if (!culprit) break;
    const scope = categoryScope(culprit.category);
    const rule = `${breach.rule}, ${Math.round(culprit.share * 100)}% of the errors in category ${culprit.category}`;
    if (stricter(breach.mode, modeOfScope({ mode: 'normal', scopes: held }, scope))) {
      proposals.push({
        scope,
        mode: breach.mode,
        reason: `error budget: ${rule}`,
        evidence: { rule, ...figures.categories![culprit.category], policy, scope },
      });
      held[scope] = breach.mode;
    }
    contained.push(culprit.category);
    rest = remainder(figures, contained, policy.budget);
    breach = breachedMode(rest.fast, rest.slow, policy);
  }
  const globalEvidence = (rule: string, extra: Partial<BudgetEvidence> = {}): BudgetEvidence => ({
    rule,
    fast: rest.fast,
    slow: rest.slow,
    policy,
    scope: GLOBAL_SCOPE,
    ...(contained.length > 0 ? { contained } : {}),
    ...extra,
  });
  if (breach && stricter(breach.mode, state.mode)) {
    proposals.push({
      scope: GLOBAL_SCOPE,
      mode: breach.mode,
      reason: `error budget: ${breach.rule}`,
      evidence: globalEvidence(breach.rule),
    });
  } else if (!breach) {
    const global = warnings.filter((w) => w.scope === GLOBAL_SCOPE);
    if (global.length > 0 && state.mode === 'normal') {
      const rule = `early warning: ${global.map((w) => w.message).join('; ')}`;
      proposals.push({
        scope: GLOBAL_SCOPE,
        mode: 'reduced',
        reason: rule,
        evidence: globalEvidence(rule, { warnings: global }),
      });
    } else if (global.length === 0) {
      const relaxed = relaxation(state.mode, rest, policy, cleanForMs(GLOBAL_SCOPE));
      if (relaxed)
        proposals.push({ scope: GLOBAL_SCOPE, ...relaxed, evidence: { ...relaxed.evidence, scope: GLOBAL_SCOPE } });
    }
  }

  for (const warning of warnings.filter((w) => w.scope !== GLOBAL_SCOPE)) {
    if (modeOfScope({ mode: 'normal', scopes: held }, warning.scope) !== 'normal' || state.mode !== 'normal') continue;
    const rule = `early warning: ${warning.message}`;
    const category = warning.scope.replace(/^category:/, '');
    const own = figures.categories?.[category] ?? rest;
    proposals.push({
      scope: warning.scope,
      mode: 'reduced',
      reason: rule,
      evidence: { rule, ...own, policy, scope: warning.scope, warnings: [warning] },
    });
    held[warning.scope] = 'reduced';
  }

  // Scopes that held before this tick relax on their own figures.
  for (const [scope, mode] of Object.entries(state.scopes ?? {})) {
    if (proposals.some((p) => p.scope === scope)) continue;
    if (warnings.some((w) => w.scope === scope)) continue;
    const category = scope.replace(/^category:/, '');
    const own = figures.categories?.[category];
    if (!own || breachedMode(own.fast, own.slow, policy)) continue;
    const relaxed = relaxation(mode, own, policy, cleanForMs(scope));
    if (relaxed) proposals.push({ scope, ...relaxed, evidence: { ...relaxed.evidence, scope } });
  }
  return proposals;
}

/**
 * One step looser, when the clean period has passed and the figures show the agent right again:
 * reviews in a strict mode are shadow evaluations of its proposals, and quiet is not evidence.
 */
function relaxation(
  current: Mode,
  figures: ScopeFigures,
  policy: BudgetPolicy,
  cleanForMs: number,
): ModeProposal | null {
  if (current === 'normal' || current === 'shutdown' || cleanForMs < policy.relaxAfterMs) return null;
  if (!isClean(figures.slow, policy)) return null;
  const looser = LADDER[LADDER.indexOf(current) - 1];
  const rule = `within budget for ${Math.round(cleanForMs / 60_000)} min (${figures.slow.errors}/${figures.slow.evaluated} over ${figures.slow.window})`;
  return { mode: looser, reason: `error budget: ${rule}`, evidence: { rule, ...figures, policy } };
}

function pct(share: number): string {
  return `${+(share * 100).toFixed(2)}%`;
}
