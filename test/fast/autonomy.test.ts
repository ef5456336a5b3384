// The pure rules that narrow the agent's autonomy before errors pile up: scoped modes, the
// critical rules of safe mode and their disagreement with the model, the policy that scopes a
// breach to the category it comes from, and the early warnings that need no labels.
import { describe, expect, it } from 'vitest';
import { DEFAULT_BUDGET_POLICY, proposeChanges, type BudgetFigures } from '../../domain/budget-policy';
import type { Mode } from '../../domain/case';
import {
  DEFAULT_WARNING_POLICY,
  categoryDrift,
  confidenceDrop,
  earlyWarnings,
  outOfDistributionShare,
  populationStability,
  reviewerPatterns,
  type Prediction,
} from '../../domain/early-warnings';
import { windowFigures } from '../../domain/error-budget';
import { modeChangeRefusal } from '../../domain/modes';
import { DEFAULT_THRESHOLDS, routeCase } from '../../domain/routing';
import { effectiveMode, scopeProblem, withScope } from '../../domain/scopes';
import { matchCriticalRules } from '../../domain/ticket/critical-rules';

describe('scoped modes', () => {
  const state = { mode: 'normal' as Mode, scopes: { 'category:payments': 'human_routing' as Mode } };
  it('a case routes by the strictest of the global mode and its scopes', () => {
    expect(effectiveMode(state, 'ticket', 'payments')).toBe('human_routing');
    expect(effectiveMode(state, 'ticket', 'cards')).toBe('normal');
    expect(effectiveMode(state, 'ticket')).toBe('normal'); // no category yet
    expect(effectiveMode({ ...state, mode: 'shutdown' }, 'ticket', 'payments')).toBe('shutdown');
    expect(effectiveMode({ mode: 'normal', scopes: { 'kind:ticket': 'reduced' } }, 'ticket', 'cards')).toBe('reduced');
  });
  it('setting a scope to normal removes it; unknown scopes are refused', () => {
    expect(withScope(state.scopes, 'category:payments', 'normal')).toEqual({});
    expect(withScope(undefined, 'category:fx', 'safe')).toEqual({ 'category:fx': 'safe' });
    expect(scopeProblem('category:fx')).toBeNull();
    expect(scopeProblem('kind:ticket')).toBeNull();
    expect(scopeProblem('category:nonsense')).toMatch(/unknown scope/);
    expect(modeChangeRefusal('normal', 'safe', 'ops', 'why', 'team:x')).toMatch(/unknown scope/);
    // A scoped shutdown, too, takes a person to lift.
    expect(modeChangeRefusal('shutdown', 'human_routing', 'system:governor', 'ok', 'category:fx')).toMatch(/person/);
  });
});

describe('critical rules and safe mode', () => {
  it.each([
    ['Card gone', 'I think my card was stolen yesterday at the station', 'lost_or_stolen_card', 'cards'],
    ['Help', 'My account has been hacked, someone changed my email', 'compromised_account', 'account_security'],
    ['Strange charge', "I don't recognise this payment of 40 EUR on my statement", 'unrecognised_payment', 'payments'],
    ['URGENT', 'I was charged twice for the same order, please fix this immediately', 'urgent_billing', 'payments'],
    ['Exchange rate', 'What rate do you use to exchange pounds into euros?', null, null],
  ])('%s / %s -> %s', (subject, body, rule, category) => {
    const match = matchCriticalRules({ subject, body });
    expect(match?.rule ?? null).toBe(rule);
    expect(match?.category ?? null).toBe(category);
    if (match) expect(match.rulesVersion).toMatch(/^critical-rules\//);
  });

  const cards = { category: 'cards' };
  const route = (mode: Mode, category: string, confidence: number, critical: { category: string } | null) =>
    routeCase({ confidence, anomaly: false, mode, thresholds: DEFAULT_THRESHOLDS, category, critical });
  it('in safe mode a rule routes alone, everything else goes to people', () => {
    expect(route('safe', 'cards', 0.99, cards)).toMatchObject({ route: 'auto', reason: 'critical_rule' });
    expect(route('safe', 'cards', 0.3, cards)).toMatchObject({ route: 'auto', reason: 'critical_rule' });
    expect(route('safe', 'fx', 0.99, null)).toMatchObject({ route: 'assisted', reason: 'mode_safe' });
    expect(route('safe', 'fx', 0.3, null)).toMatchObject({ route: 'manual', reason: 'low_confidence' });
  });
  it('in every mode a rule that disagrees with the model sends the case to a person', () => {
    for (const mode of ['normal', 'reduced', 'safe', 'human_routing'] as const) {
      expect(route(mode, 'fx', 0.99, cards)).toMatchObject({ route: 'assisted', reason: 'rule_disagreement' });
    }
    expect(route('shutdown', 'fx', 0.99, cards)).toMatchObject({ route: 'manual', reason: 'mode_shutdown' });
    // Agreement changes nothing outside safe mode; a model below the assisted bar has no proposal to oppose.
    expect(route('normal', 'cards', 0.99, cards)).toMatchObject({ route: 'auto', reason: 'confident' });
    expect(route('normal', 'fx', 0.3, cards)).toMatchObject({ route: 'manual', reason: 'low_confidence' });
  });
});

describe('the budget policy, by scope', () => {
  const policy = { ...DEFAULT_BUDGET_POLICY, minEvaluated: 20 };
  const scope = (fast: [number, number], slow: [number, number]) => ({
    fast: windowFigures('5m', ...fast, policy.budget),
    slow: windowFigures('1h', ...slow, policy.budget),
  });
  const figures = (categories: Record<string, [[number, number], [number, number]]>): BudgetFigures => {
    const own = Object.fromEntries(Object.entries(categories).map(([c, [f, s]]) => [c, scope(f, s)]));
    const sum = (w: 'fast' | 'slow', i: 0 | 1) =>
      Object.values(categories).reduce((total, [f, s]) => total + (w === 'fast' ? f : s)[i], 0);
    return { ...scope([sum('fast', 0), sum('fast', 1)], [sum('slow', 0), sum('slow', 1)]), categories: own };
  };
  const never = () => 0;

  it('errors concentrated in one category narrow that category, not the system', () => {
    const proposals = proposeChanges(
      { mode: 'normal' },
      figures({
        payments: [
          [30, 12],
          [60, 24],
        ],
        cards: [
          [100, 0],
          [300, 2],
        ],
        fx: [
          [80, 0],
          [200, 1],
        ],
      }),
      policy,
      never,
    );
    expect(proposals).toHaveLength(1);
    expect(proposals[0]).toMatchObject({ scope: 'category:payments', mode: 'shutdown' });
    expect(proposals[0].evidence).toMatchObject({ scope: 'category:payments', slow: { evaluated: 60, errors: 24 } });
  });

  it('a global breach whose errors come mostly from one category holds that category, even on few evaluations of its own', () => {
    const proposals = proposeChanges(
      { mode: 'normal' },
      figures({
        payments: [
          [10, 8],
          [15, 8],
        ],
        cards: [
          [40, 1],
          [60, 1],
        ],
        fx: [
          [40, 0],
          [60, 0],
        ],
      }),
      policy,
      never,
    );
    expect(proposals.map((p) => [p.scope, p.mode])).toEqual([['category:payments', 'safe']]);
    expect(proposals[0].reason).toMatch(/89% of the errors in category payments/);
  });

  it('errors spread over categories narrow the whole system', () => {
    const proposals = proposeChanges(
      { mode: 'normal' },
      figures({
        payments: [
          [10, 2],
          [19, 3],
        ],
        cards: [
          [10, 2],
          [19, 3],
        ],
        fx: [
          [10, 2],
          [19, 3],
        ],
      }),
      policy,
      never,
    );
    expect(proposals.map((p) => [p.scope, p.mode])).toEqual([['global', 'human_routing']]);
  });

  it('a category already held leaves the rest of the system within budget', () => {
    const proposals = proposeChanges(
      { mode: 'normal', scopes: { 'category:payments': 'human_routing' } },
      figures({
        payments: [
          [30, 12],
          [60, 24],
        ],
        cards: [
          [100, 0],
          [300, 2],
        ],
      }),
      policy,
      never,
    );
    // Payments is held (its shutdown-level errors still tighten it), the global mode stays.
    expect(proposals.map((p) => [p.scope, p.mode])).toEqual([['category:payments', 'shutdown']]);
  });

  it('an early warning moves its scope to reduced; a scope relaxes on its own clean figures', () => {
    const warned = proposeChanges(
      { mode: 'normal' },
      {
        ...figures({
          cards: [
            [10, 0],
            [30, 0],
          ],
        }),
        warnings: [{ kind: 'category_drift', scope: 'global', message: 'PSI 0.9', evidence: {} }],
      },
      policy,
      never,
    );
    expect(warned).toMatchObject([
      { scope: 'global', mode: 'reduced', evidence: { warnings: [{ kind: 'category_drift' }] } },
    ]);

    const held = { mode: 'normal' as Mode, scopes: { 'category:payments': 'human_routing' as Mode } };
    const clean = figures({
      payments: [
        [30, 0],
        [200, 0],
      ],
    });
    expect(proposeChanges(held, clean, policy, () => policy.relaxAfterMs - 1)).toEqual([]);
    expect(proposeChanges(held, clean, policy, () => policy.relaxAfterMs)).toMatchObject([
      { scope: 'category:payments', mode: 'safe' },
    ]);
  });
});

describe('early warnings', () => {
  const policy = DEFAULT_WARNING_POLICY;
  // A deterministic spread of confidences around a mean.
  const around = (mean: number, n: number) => Array.from({ length: n }, (_, i) => mean + ((i % 7) - 3) * 0.01);
  const predictions = (mix: Record<string, number>, confidence = 0.9, anomalyEvery = 0): Prediction[] =>
    Object.entries(mix).flatMap(([category, n]) =>
      Array.from({ length: n }, (_, i) => ({
        category,
        confidence,
        anomaly: anomalyEvery > 0 && i % anomalyEvery === 0,
      })),
    );

  it('a sudden drop in confidence raises a warning; the usual spread does not', () => {
    expect(confidenceDrop(around(0.9, 60), around(0.9, 200), policy)).toBeNull();
    const drop = confidenceDrop(around(0.75, 60), around(0.9, 200), policy);
    expect(drop).toMatchObject({ kind: 'confidence_drop', scope: 'global' });
    expect(drop!.evidence.ewma as number).toBeLessThan(drop!.evidence.limit as number);
    expect(confidenceDrop(around(0.75, 10), around(0.9, 200), policy)).toBeNull(); // too few
  });

  it('a shifted category mix raises drift; a category that was absent is unexpected', () => {
    const reference = predictions({ cards: 100, payments: 100, fx: 100 });
    expect(populationStability(new Map([['a', 50]]), new Map([['a', 50]]))).toBeCloseTo(0, 6);
    expect(categoryDrift(predictions({ cards: 34, payments: 33, fx: 33 }), reference, policy)).toEqual([]);
    const shifted = categoryDrift(predictions({ cards: 10, payments: 90, top_ups: 30 }), reference, policy);
    expect(shifted.map((w) => [w.kind, w.scope])).toEqual([
      ['category_drift', 'global'],
      ['unexpected_category', 'category:top_ups'],
    ]);
  });

  it('a surge of out-of-distribution inputs raises a warning', () => {
    const reference = predictions({ cards: 200 }, 0.9, 50); // 2% anomalies
    expect(outOfDistributionShare(predictions({ cards: 100 }, 0.9, 50), reference, policy)).toBeNull();
    expect(outOfDistributionShare(predictions({ cards: 100 }, 0.9, 4), reference, policy)).toMatchObject({
      kind: 'ood_share',
    });
    expect(earlyWarnings(predictions({ cards: 100 }, 0.9, 4), reference).map((w) => w.kind)).toContain('ood_share');
  });

  it('a reviewer who approves everything within seconds is a finding for operators, and moves no mode', () => {
    const reviews = (reviewer: string, n: number, approved: (i: number) => boolean, tookMs: number) =>
      Array.from({ length: n }, (_, i) => ({ reviewer, approved: approved(i), tookMs }));
    const found = reviewerPatterns([
      ...reviews('stamp', 25, () => true, 1500),
      ...reviews('careful', 25, () => true, 40_000), // approves all, but takes its time
      ...reviews('quick', 25, (i) => i % 5 !== 0, 1500), // fast, but corrects one in five
      ...reviews('new', 5, () => true, 1000), // too few to say anything
    ]);
    expect(found.map((w) => w.scope)).toEqual(['reviewer:stamp']);
    const policy = { ...DEFAULT_BUDGET_POLICY, minEvaluated: 20 };
    const quiet = { evaluated: 0, errors: 0 };
    const none = proposeChanges(
      { mode: 'normal' },
      {
        fast: windowFigures('5m', quiet.evaluated, quiet.errors, 0.02),
        slow: windowFigures('1h', quiet.evaluated, quiet.errors, 0.02),
        warnings: found,
      },
      policy,
      () => 0,
    );
    expect(none).toEqual([]);
  });
});
