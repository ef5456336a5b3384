// The pure rules, case by case: routing by confidence and mode, who may change the mode, which
// reviews a case can take, and the configuration that feeds them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modeChangeRefusal, isPerson } from '../../domain/modes';
import { reviewRefusal } from '../../domain/review';
import { REVIEW_RULES_OF_KIND } from '../../domain/kinds';
import { wilsonLowerBound, windowFigures } from '../../domain/error-budget';
import { auditVerdict, drawnForAudit, outcomeOfReview } from '../../domain/outcomes';
import { DEFAULT_BUDGET_POLICY, proposeMode } from '../../domain/budget-policy';
import { DEFAULT_THRESHOLDS, routeCase, validateThresholds } from '../../domain/routing';
import { newCaseState, type CaseState, type Mode } from '../../domain/case';
import { findUnstorableText, unstorableTextProblem } from '../../domain/storable-text';
import { TICKET_CATEGORIES, categoryOf } from '../../domain/ticket/categories';
import { ConfigError, loadConfig } from '../../config';

const t = DEFAULT_THRESHOLDS;

describe('routing policy', () => {
  const table: [number, boolean, Mode, string, string][] = [
    [0.99, false, 'normal', 'auto', 'confident'],
    [0.851, false, 'normal', 'auto', 'confident'],
    [0.85, false, 'normal', 'assisted', 'uncertain'], // "above 0.85" is strict
    [0.6, false, 'normal', 'assisted', 'uncertain'],
    [0.599, false, 'normal', 'manual', 'low_confidence'],
    [0.99, true, 'normal', 'manual', 'anomaly'],
    [0.96, false, 'reduced', 'auto', 'confident'],
    [0.9, false, 'reduced', 'assisted', 'uncertain'],
    [0.5, false, 'reduced', 'manual', 'low_confidence'],
    [0.99, false, 'human_routing', 'assisted', 'mode_human_routing'],
    [0.3, false, 'human_routing', 'manual', 'low_confidence'],
    [0.99, true, 'human_routing', 'manual', 'anomaly'],
    [0.99, false, 'shutdown', 'manual', 'mode_shutdown'],
    [0.1, true, 'shutdown', 'manual', 'mode_shutdown'],
  ];
  it.each(table)('confidence %s, anomaly %s, mode %s -> %s (%s)', (confidence, anomaly, mode, route, reason) => {
    expect(routeCase({ confidence, anomaly, mode, thresholds: t })).toMatchObject({ route, reason });
  });

  it('an uncalibrated confidence never routes auto: a human checks the suggestion', () => {
    expect(
      routeCase({ confidence: 0.99, anomaly: false, calibrated: false, mode: 'normal', thresholds: t }),
    ).toMatchObject({ route: 'assisted', reason: 'uncalibrated' });
    expect(
      routeCase({ confidence: 0, anomaly: false, calibrated: false, mode: 'normal', thresholds: t }),
    ).toMatchObject({ route: 'assisted', reason: 'uncalibrated' });
    expect(routeCase({ confidence: 0, anomaly: true, calibrated: false, mode: 'normal', thresholds: t }).route).toBe(
      'manual',
    );
    expect(
      routeCase({ confidence: 0.99, anomaly: false, calibrated: false, mode: 'shutdown', thresholds: t }).reason,
    ).toBe('mode_shutdown');
  });

  it('hides the suggestion only in shutdown', () => {
    expect(routeCase({ confidence: 0.99, anomaly: false, mode: 'shutdown', thresholds: t }).suggestionVisible).toBe(
      false,
    );
    expect(routeCase({ confidence: 0.3, anomaly: false, mode: 'normal', thresholds: t }).suggestionVisible).toBe(true);
  });

  it('refuses thresholds that would erase a band', () => {
    expect(validateThresholds(t)).toEqual([]);
    expect(validateThresholds({ auto: 0.5, assisted: 0.6, reducedAuto: 0.9 })).toHaveLength(1);
    expect(validateThresholds({ auto: 0.9, assisted: 0.6, reducedAuto: 0.8 })).toHaveLength(1);
    expect(validateThresholds({ auto: 1.2, assisted: 0.6, reducedAuto: 1.3 }).length).toBeGreaterThan(0);
  });
});

describe('mode changes', () => {
  it('a person may move between any modes, with a reason', () => {
    expect(modeChangeRefusal('normal', 'shutdown', 'alice', 'incident')).toBeNull();
    expect(modeChangeRefusal('shutdown', 'normal', 'alice', 'resolved')).toBeNull();
    expect(modeChangeRefusal('normal', 'reduced', 'alice', ' ')).toMatch(/reason/);
    expect(modeChangeRefusal('normal', 'turbo' as Mode, 'alice', 'x')).toMatch(/unknown mode/);
  });
  it('automation may tighten but never leave shutdown', () => {
    expect(modeChangeRefusal('normal', 'shutdown', 'system:governor', 'error rate 12%/h')).toBeNull();
    expect(modeChangeRefusal('shutdown', 'human_routing', 'system:governor', 'recovered')).toMatch(/person/);
    expect(modeChangeRefusal('shutdown', 'shutdown', 'system:governor', 'still bad')).toBeNull();
    expect(isPerson('key:abc')).toBe(false); // a key known only by its fingerprint is a service account
    expect(isPerson('system:anything')).toBe(false);
  });
});

const refuseReview = (caseState: CaseState, review: Parameters<typeof reviewRefusal>[1]) =>
  reviewRefusal(caseState, review, REVIEW_RULES_OF_KIND.ticket);

describe('review rules', () => {
  const state = (over: Partial<CaseState> = {}): CaseState => ({
    ...newCaseState('ticket-1', 'ticket'),
    status: 'awaiting_review',
    route: 'assisted',
    routeReason: 'uncertain',
    ...over,
  });
  it('takes reviews only while a human is awaited', () => {
    for (const status of ['awaiting_review', 'escalated', 'manual'] as const) {
      expect(refuseReview(state({ status }), { decision: 'approve', reviewer: 'a' })).toBeNull();
    }
    for (const status of ['processing', 'decided'] as const) {
      expect(refuseReview(state({ status }), { decision: 'approve', reviewer: 'a' })?.code).toBe('not_awaiting_review');
    }
  });
  it('checks the payload as the Web UI sends it', () => {
    const waiting = state();
    expect(refuseReview(waiting, { decision: 'correct', reviewer: 'a' })?.code).toBe('invalid_review');
    expect(refuseReview(waiting, { decision: 'correct', category: 'nope', reviewer: 'a' })?.code).toBe(
      'invalid_review',
    );
    expect(refuseReview(waiting, { decision: 'approve', reviewer: '' })?.code).toBe('invalid_review');
    expect(refuseReview(waiting, { decision: 'maybe' as never, reviewer: 'a' })?.code).toBe('invalid_review');
    expect(refuseReview(waiting, null)?.code).toBe('invalid_review');
    expect(refuseReview(waiting, { decision: 'approve', reviewer: 'a', comment: 'x'.repeat(2001) })?.code).toBe(
      'invalid_review',
    );
    expect(refuseReview(waiting, { decision: 'correct', category: 'cards', reviewer: 'a' })).toBeNull();
  });
  it('nothing to approve while the suggestion is hidden', () => {
    expect(
      refuseReview(state({ suggestionVisible: false, status: 'manual' }), { decision: 'approve', reviewer: 'a' })
        ?.message,
    ).toMatch(/correct/);
  });
});

describe('ticket categories', () => {
  it('every BANKING77 intent has an owning category; unknown intents go to general', () => {
    expect(categoryOf('card_arrival')).toBe('cards');
    expect(categoryOf('transfer_timing')).toBe('transfers');
    expect(categoryOf('something_new')).toBe('general');
    expect(TICKET_CATEGORIES).toContain('general');
  });
});

describe('configuration', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1'); // loopback unless HOST says otherwise
    expect(c.thresholds).toEqual(DEFAULT_THRESHOLDS);
    expect(c.reviewTimeouts).toEqual({ escalateAfterMs: 4 * 3600_000, finalTimeoutMs: 24 * 3600_000 });
    expect(c.apiKeys).toBeNull();
    expect(c.temporal.address).toBeUndefined();
  });
  it('lists every bad variable at once', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'eighty', THRESHOLD_AUTO: '2', REVIEW_TIMEOUT: 'soon', API_KEYS: 'k1:wizard' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/PORT/);
    expect((err as Error).message).toMatch(/THRESHOLD_AUTO/);
    expect((err as Error).message).toMatch(/REVIEW_TIMEOUT/);
  });
  it('parses keys with several roles and refuses development keys in production', () => {
    expect(() => loadConfig({ THRESHOLD_ASSISTED: '0.9', THRESHOLD_AUTO: '0.8' })).toThrow(/assisted/);
    expect(() => loadConfig({ REVIEW_ESCALATE_AFTER: '2 days', REVIEW_TIMEOUT: '1 day' })).toThrow(/longer/);
  });
});

describe('API keys name their holders', () => {
  const long = (tag: string) => `${tag}-${'k'.repeat(30)}`;
  const holders = (spec: string, env: Record<string, string> = {}) =>
    loadConfig({ ...(spec ? { API_KEYS: spec } : {}), ...env }).apiKeys!.map(({ holder }) => ({
      ...holder,
      roles: [...holder.roles],
    }));

  it('holder=key:roles; svc- holders are service accounts, other holders persons', () => {
    expect(
      holders(`alice=${long('a')}:reviewer, bob=${long('b')}:reviewer+ops,svc-intake=${long('s')}:service`),
    ).toEqual([
      { name: 'alice', person: true, roles: ['reviewer'] },
      { name: 'bob', person: true, roles: ['reviewer', 'ops'] },
      { name: 'svc-intake', person: false, roles: ['service'] },
    ]);
  });

  it('the old key:role form is a service account named after the key fingerprint', () => {
    const [legacy] = holders(`${long('old')}:ops`);
    expect(legacy).toMatchObject({ person: false, roles: ['ops'] });
    expect(legacy.name).toMatch(/^key:[0-9a-f]{10}$/);
    expect(isPerson(legacy.name)).toBe(false);
  });

  it('keeps digests, never the keys, and refuses what could be guessed or mixed up', () => {
    const table = loadConfig({ API_KEYS: `alice=${long('a')}:reviewer` }).apiKeys!;
    expect(JSON.stringify(table)).not.toContain(long('a'));
    expect(table[0].digest).toHaveLength(32);
    expect(() => loadConfig({ API_KEYS: 'alice=short:reviewer' })).toThrow(/shorter than 24/);
    expect(() => loadConfig({ API_KEYS: 'alice=short:reviewer', NODE_ENV: 'production' })).toThrow(/shorter/);
    expect(() => loadConfig({ API_KEYS: 'alice=short:reviewer', NODE_ENV: 'PRODUCTION' })).toThrow(/shorter/);
    expect(loadConfig({ API_KEYS: 'alice=short:reviewer', NODE_ENV: 'development' }).apiKeys).toHaveLength(1);
    expect(() => loadConfig({ API_KEYS: `a=${long('a')}:wizard` })).toThrow(/unknown role/);
    expect(() => loadConfig({ API_KEYS: `a=${long('a')}:ops,a=${long('b')}:ops` })).toThrow(/more than one key/);
    expect(() => loadConfig({ API_KEYS: `a=${long('a')}:ops,b=${long('a')}:ops` })).toThrow(/same key/);
    expect(() => loadConfig({ API_KEYS: `a=${long('a')}:ops`, API_KEYS_FILE: '/nowhere' })).toThrow(/not both/);
  });

  it('reads the same form, one entry a line, from API_KEYS_FILE', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'keys-')), 'api-keys');
    writeFileSync(file, `# reviewers\nalice=${long('a')}:reviewer\nsvc-intake=${long('s')}:service\n`);
    expect(holders('', { API_KEYS_FILE: file }).map(({ name }) => name)).toEqual(['alice', 'svc-intake']);
    expect(() => loadConfig({ API_KEYS_FILE: join(file, 'missing') })).toThrow(/API_KEYS_FILE/);
  });

  it('development keys only where NODE_ENV says development, exactly', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).development).toBe(true);
    for (const env of ['production', 'PRODUCTION', 'prod', 'Development', '']) {
      expect(loadConfig({ NODE_ENV: env }).development).toBe(false);
    }
  });

  it('an operator is a person unless automation or a service account', () => {
    expect(['alice', 'bob@example.com'].map(isPerson)).toEqual([true, true]);
    expect(['system:governor', 'svc-intake', 'key:0123456789', ' '].map(isPerson)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('text PostgreSQL cannot store', () => {
  it.each([
    ['ab\u0000cd', /NUL/],
    ['x\ud800', /lone surrogate \(U\+D800\)/],
    ['\udc00y', /lone surrogate \(U\+DC00\)/],
    ['\ud83d', /lone surrogate/],
  ])('%j is refused', (text, problem) => {
    expect(unstorableTextProblem(text)).toMatch(problem);
  });

  it.each(['plain', 'Grüße, 你好', 'emoji \ud83d\ude00 pairs are fine', ''])('%j is fine', (text) => {
    expect(unstorableTextProblem(text)).toBeNull();
  });

  it('finds the first bad string anywhere in a body, keys included', () => {
    expect(findUnstorableText({ a: 'ok', customer: { id: 'x\u0000' } })).toMatchObject({ path: 'customer.id' });
    expect(findUnstorableText({ list: ['ok', 'x\ud800'] })).toMatchObject({ path: 'list.1' });
    expect(findUnstorableText({ ['k\u0000']: 1 })?.problem).toMatch(/field name/);
    expect(findUnstorableText({ a: 1, b: [true, null, 'fine'] })).toBeNull();
  });

  it('the review rules and the governor refuse it, so the workflow never accepts it', () => {
    const waiting: CaseState = { ...newCaseState('ticket-1', 'ticket'), status: 'awaiting_review' };
    expect(refuseReview(waiting, { decision: 'approve', reviewer: 'a\u0000' })?.message).toMatch(/^reviewer: /);
    expect(refuseReview(waiting, { decision: 'reject', reviewer: 'a', comment: '\udfff' })?.message).toMatch(
      /^comment: /,
    );
    expect(modeChangeRefusal('normal', 'reduced', 'alice', 'drift\u0000')).toMatch(/^the reason contains a NUL/);
    expect(modeChangeRefusal('normal', 'reduced', 'al\ud800', 'drift')).toMatch(/^the operator contains/);
  });
});

describe('error budget arithmetic', () => {
  it('the Wilson lower bound keeps small samples from counting', () => {
    expect(wilsonLowerBound(0, 0)).toBe(0);
    expect(wilsonLowerBound(0, 100)).toBe(0);
    // One override among three decisions: a 33% rate, but a lower bound well under 10%.
    expect(wilsonLowerBound(1, 3)).toBeGreaterThan(0);
    expect(wilsonLowerBound(1, 3)).toBeLessThan(0.1);
    // The same rate on more evidence gives a tighter (higher) bound.
    expect(wilsonLowerBound(10, 100)).toBeGreaterThan(wilsonLowerBound(1, 10));
    expect(wilsonLowerBound(10, 100)).toBeCloseTo(0.0603, 3);
    expect(wilsonLowerBound(100, 100)).toBeLessThan(1);
  });

  it('window figures: rate, bound and budget left', () => {
    expect(windowFigures('1h', 200, 2, 0.02)).toMatchObject({ rate: 0.01, budgetLeft: 0.5 });
    expect(windowFigures('1h', 200, 8, 0.02).budgetLeft).toBeCloseTo(-1, 10);
    expect(windowFigures('5m', 0, 0, 0.02)).toMatchObject({ rate: 0, lowerBound: 0, budgetLeft: 1 });
  });

  it('a review finds the agent right when the case went where it proposed', () => {
    const decision = {
      caseId: 'ticket-1',
      kind: 'ticket' as const,
      outcome: 'corrected' as const,
      finalCategory: 'fx',
      route: 'manual' as const,
      routeReason: 'mode_shutdown' as const,
      mode: 'shutdown' as const,
      thresholds: DEFAULT_THRESHOLDS,
      suggestion: { category: 'fx', confidence: 0.9, anomaly: false, modelVersion: 'm@1' },
      reviewer: 'rita',
      comment: null,
      via: 'update' as const,
      escalated: false,
      decidedAt: new Date(0).toISOString(),
    };
    expect(outcomeOfReview(decision)).toMatchObject({ verdict: 'right', foundBy: 'rita', source: 'review' });
    expect(outcomeOfReview({ ...decision, finalCategory: 'cards' })?.verdict).toBe('wrong');
    expect(outcomeOfReview({ ...decision, outcome: 'rejected', finalCategory: null })?.verdict).toBe('wrong');
    expect(outcomeOfReview({ ...decision, outcome: 'auto_decided', reviewer: null })).toBeNull();
  });

  it('an invoice the agent proposed to pay is judged by its approval; one it held for people is no finding', () => {
    const invoice = {
      caseId: 'invoice-1',
      kind: 'invoice' as const,
      outcome: 'approved' as const,
      finalCategory: 'pay',
      route: 'assisted' as const,
      routeReason: 'approval_required' as const,
      mode: 'normal' as const,
      thresholds: DEFAULT_THRESHOLDS,
      suggestion: { category: 'pay', confidence: 0.9, anomaly: false, modelVersion: 'invoice-rules/1' },
      reviewer: 'rita',
      comment: null,
      via: 'update' as const,
      escalated: false,
      decidedAt: new Date(0).toISOString(),
    };
    expect(outcomeOfReview(invoice)?.verdict).toBe('right');
    expect(outcomeOfReview({ ...invoice, outcome: 'rejected', finalCategory: null })?.verdict).toBe('wrong');
    expect(outcomeOfReview({ ...invoice, outcome: 'changes_requested', finalCategory: null })?.verdict).toBe('wrong');
    const held = { ...invoice, suggestion: { ...invoice.suggestion, category: 'hold' } };
    expect(outcomeOfReview(held)).toBeNull();
    expect(outcomeOfReview({ ...held, outcome: 'rejected', finalCategory: null })).toBeNull();
  });
});

describe('the error-budget policy', () => {
  const policy = { ...DEFAULT_BUDGET_POLICY, minEvaluated: 20 };
  const at = (window: string, evaluated: number, errors: number) =>
    windowFigures(window, evaluated, errors, policy.budget);
  const quiet = at('5m', 0, 0);

  it.each([
    // current, fast (evaluated, errors), slow (evaluated, errors), proposed mode or null
    ['normal', [3, 1], [3, 1], null], // one override among three: too few to act on
    ['normal', [10, 10], [19, 19], null], // still under the minimum over the slow window
    ['normal', [40, 0], [400, 4], null], // 1% is within the 2% budget
    ['normal', [40, 4], [400, 20], 'reduced'], // both windows over budget
    ['normal', [40, 0], [400, 20], null], // the fast window has recovered: no action
    ['normal', [5, 5], [400, 20], null], // the fast window has too few evaluations to agree
    ['normal', [40, 4], [400, 24], 'safe'], // 6%, lower bound over 3.5%
    ['normal', [40, 8], [400, 40], 'human_routing'], // 10% rate, lower bound over 5%
    ['normal', [40, 20], [200, 60], 'shutdown'], // 30%, lower bound over 10%
    ['reduced', [40, 20], [200, 60], 'shutdown'], // tightening skips steps
    ['human_routing', [40, 4], [400, 20], null], // a milder breach never relaxes a stricter mode
    ['shutdown', [40, 0], [400, 0], null], // automation never leaves shutdown
  ] as const)(
    '%s with fast %j and slow %j -> %s',
    (current, [fastEvaluated, fastErrors], [slowEvaluated, slowErrors], expected) => {
      const proposal = proposeMode(
        current,
        at('5m', fastEvaluated, fastErrors),
        at('1h', slowEvaluated, slowErrors),
        policy,
        0,
      );
      expect(proposal?.mode ?? null).toBe(expected);
      if (proposal)
        expect(proposal.evidence).toMatchObject({ policy, slow: { evaluated: slowEvaluated, errors: slowErrors } });
    },
  );

  it('relaxes one step at a time, only after a clean period with enough evaluations', () => {
    const clean = at('1h', 400, 0);
    expect(proposeMode('human_routing', quiet, clean, policy, policy.relaxAfterMs - 1)).toBeNull();
    expect(proposeMode('human_routing', quiet, clean, policy, policy.relaxAfterMs)?.mode).toBe('safe');
    expect(proposeMode('safe', quiet, clean, policy, policy.relaxAfterMs)?.mode).toBe('reduced');
    expect(proposeMode('reduced', quiet, clean, policy, policy.relaxAfterMs)?.mode).toBe('normal');
    expect(proposeMode('reduced', quiet, at('1h', 5, 0), policy, policy.relaxAfterMs)).toBeNull(); // quiet is not clean
    expect(proposeMode('shutdown', quiet, clean, policy, 10 * policy.relaxAfterMs)).toBeNull();
  });
});

describe('audits', () => {
  it('draws a fixed share by the case hash', () => {
    expect(drawnForAudit(0, 0.05)).toBe(true);
    expect(drawnForAudit(2 ** 32 * 0.049, 0.05)).toBe(true);
    expect(drawnForAudit(2 ** 32 * 0.051, 0.05)).toBe(false);
    expect(drawnForAudit(0, 0)).toBe(false);
  });
  it('confirmed is right; corrected elsewhere or rejected is wrong', () => {
    expect(auditVerdict({ decision: 'approve' }, 'fx')).toEqual({ verdict: 'right', actualCategory: 'fx' });
    expect(auditVerdict({ decision: 'correct', category: 'fx' }, 'fx').verdict).toBe('right');
    expect(auditVerdict({ decision: 'correct', category: 'cards' }, 'fx')).toEqual({
      verdict: 'wrong',
      actualCategory: 'cards',
    });
    expect(auditVerdict({ decision: 'reject' }, 'fx')).toEqual({ verdict: 'wrong', actualCategory: null });
  });
});
