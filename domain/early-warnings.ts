// Warnings before any labelled error arrives: what the agent proposes drifts away from what it
// proposed before. Three signals, each compared against a reference window of recent history:
//  - confidence: an EWMA control chart on the proposals' confidence, in arrival order;
//  - the predicted-category mix: the population stability index (PSI), and categories that were
//    (nearly) absent from the reference and now take a real share;
//  - out-of-distribution inputs: the share the classifier flags as anomalies.
// Pure: the governor's activity feeds it the windows' predictions and records what it returns.

export interface Prediction {
  category: string;
  confidence: number;
  anomaly: boolean;
}

export interface WarningPolicy {
  /** Fewer recent predictions than this: no warning, whatever they look like. */
  minSamples: number;
  /**
   * Fewer reference predictions than this: no warning. The reference must be the larger sample:
   * a PSI between two small samples is mostly noise (about (categories - 1) x (1/n1 + 1/n2)).
   */
  minReference: number;
  /** EWMA smoothing (0-1) and control limit in standard deviations. */
  ewmaLambda: number;
  ewmaLimit: number;
  /** A drop smaller than this is never a warning, however narrow the reference. */
  minConfidenceDrop: number;
  /** PSI from which the category mix has shifted (0.25 is the usual "significant shift"). */
  psiAt: number;
  /** A category below this share in the reference that reaches `emergingShare` now is unexpected. */
  rareShare: number;
  emergingShare: number;
  /** The anomaly share that is a warning when it is also at least double the reference's. */
  oodShareAt: number;
}

export const DEFAULT_WARNING_POLICY: WarningPolicy = {
  minSamples: 30,
  minReference: 200,
  ewmaLambda: 0.2,
  ewmaLimit: 3,
  minConfidenceDrop: 0.05,
  psiAt: 0.25,
  rareShare: 0.01,
  emergingShare: 0.1,
  oodShareAt: 0.1,
};

export type WarningKind =
  'confidence_drop' | 'category_drift' | 'unexpected_category' | 'ood_share' | 'reviewer_pattern';

export interface EarlyWarning {
  kind: WarningKind;
  /**
   * 'global' or `category:<name>`: where the governor narrows autonomy on it; `reviewer:<name>`
   * for a finding about a person, which is for operators to look at and moves no mode.
   */
  scope: string;
  message: string;
  evidence: Record<string, unknown>;
}

/** Mean, standard deviation and count. */
function moments(values: readonly number[]): { mean: number; sd: number; n: number } {
  const n = values.length;
  if (n === 0) return { mean: 0, sd: 0, n };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n - 1);
  return { mean, sd: Math.sqrt(variance), n };
}

/**
 * EWMA chart over the recent confidences (oldest first), started at the reference mean; a warning
 * when it ends below the lower control limit. The limit uses the chart's asymptotic spread.
 */
export function confidenceDrop(
  recent: readonly number[],
  reference: readonly number[],
  policy: WarningPolicy,
  scope = 'global',
): EarlyWarning | null {
  if (recent.length < policy.minSamples || reference.length < policy.minReference) return null;
  const ref = moments(reference);
  let ewma = ref.mean;
  for (const value of recent) ewma = policy.ewmaLambda * value + (1 - policy.ewmaLambda) * ewma;
  const limit = ref.mean - policy.ewmaLimit * ref.sd * Math.sqrt(policy.ewmaLambda / (2 - policy.ewmaLambda));
  const drop = ref.mean - ewma;
  if (ewma >= limit || drop < policy.minConfidenceDrop) return null;
  return {
    kind: 'confidence_drop',
    scope,
    message: `confidence fell: EWMA ${ewma.toFixed(3)} against a reference mean of ${ref.mean.toFixed(3)} (limit ${limit.toFixed(3)})`,
    evidence: { ewma, referenceMean: ref.mean, referenceSd: ref.sd, limit, recent: recent.length, reference: ref.n },
  };
}

function counts(predictions: readonly Prediction[]): Map<string, number> {
  const byCategory = new Map<string, number>();
  for (const p of predictions) byCategory.set(p.category, (byCategory.get(p.category) ?? 0) + 1);
  return byCategory;
}

/** Population stability index of the recent mix against the reference, smoothed so empty cells stay finite. */
export function populationStability(reference: Map<string, number>, recent: Map<string, number>): number {
  const categories = new Set([...reference.keys(), ...recent.keys()]);
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const refTotal = total(reference) + 0.5 * categories.size;
  const recentTotal = total(recent) + 0.5 * categories.size;
  let psi = 0;
  for (const category of categories) {
    const expected = ((reference.get(category) ?? 0) + 0.5) / refTotal;
    const actual = ((recent.get(category) ?? 0) + 0.5) / recentTotal;
    psi += (actual - expected) * Math.log(actual / expected);
  }
  return psi;
}

/** The category mix: a PSI shift, and categories that were rare and now are not. */
export function categoryDrift(
  recent: readonly Prediction[],
  reference: readonly Prediction[],
  policy: WarningPolicy,
): EarlyWarning[] {
  if (recent.length < policy.minSamples || reference.length < policy.minReference) return [];
  const recentMix = counts(recent);
  const referenceMix = counts(reference);
  const share = (m: Map<string, number>, n: number, c: string) => (m.get(c) ?? 0) / n;
  const warnings: EarlyWarning[] = [];
  const psi = populationStability(referenceMix, recentMix);
  const shifts = [...new Set([...recentMix.keys(), ...referenceMix.keys()])]
    .map((category) => ({
      category,
      reference: share(referenceMix, reference.length, category),
      recent: share(recentMix, recent.length, category),
    }))
    .sort((a, b) => Math.abs(b.recent - b.reference) - Math.abs(a.recent - a.reference));
  if (psi >= policy.psiAt) {
    const top = shifts[0];
    warnings.push({
      kind: 'category_drift',
      scope: 'global',
      message: `predicted-category mix shifted: PSI ${psi.toFixed(2)}; largest move ${top.category} ${pctOf(top.reference)} -> ${pctOf(top.recent)}`,
      evidence: { psi, recent: recent.length, reference: reference.length, shifts: shifts.slice(0, 5) },
    });
  }
  for (const shift of shifts) {
    if (shift.reference < policy.rareShare && shift.recent >= policy.emergingShare) {
      warnings.push({
        kind: 'unexpected_category',
        scope: `category:${shift.category}`,
        message: `category ${shift.category} emerged: ${pctOf(shift.reference)} of the reference, ${pctOf(shift.recent)} now`,
        evidence: { ...shift, recentCount: recentMix.get(shift.category) ?? 0 },
      });
    }
  }
  return warnings;
}

/** Inputs unlike anything the model knows, as a share: a warning when it is high and has at least doubled. */
export function outOfDistributionShare(
  recent: readonly Prediction[],
  reference: readonly Prediction[],
  policy: WarningPolicy,
): EarlyWarning | null {
  if (recent.length < policy.minSamples || reference.length < policy.minReference) return null;
  const shareOf = (list: readonly Prediction[]) => list.filter((p) => p.anomaly).length / list.length;
  const now = shareOf(recent);
  const before = shareOf(reference);
  if (now < policy.oodShareAt || now < 2 * before) return null;
  return {
    kind: 'ood_share',
    scope: 'global',
    message: `out-of-distribution inputs at ${pctOf(now)} (reference ${pctOf(before)})`,
    evidence: { share: now, referenceShare: before, recent: recent.length, reference: reference.length },
  };
}

/** Every warning the recent predictions raise against the reference, globally and per category. */
export function earlyWarnings(
  recent: readonly Prediction[],
  reference: readonly Prediction[],
  policy: WarningPolicy = DEFAULT_WARNING_POLICY,
): EarlyWarning[] {
  const warnings: EarlyWarning[] = [];
  const drop = confidenceDrop(
    recent.map((p) => p.confidence),
    reference.map((p) => p.confidence),
    policy,
  );
  if (drop) warnings.push(drop);
  for (const category of new Set(recent.map((p) => p.category))) {
    const scoped = confidenceDrop(
      recent.filter((p) => p.category === category).map((p) => p.confidence),
      reference.filter((p) => p.category === category).map((p) => p.confidence),
      policy,
      `category:${category}`,
    );
    if (scoped) warnings.push(scoped);
  }
  warnings.push(...categoryDrift(recent, reference, policy));
  const ood = outOfDistributionShare(recent, reference, policy);
  if (ood) warnings.push(ood);
  return warnings;
}

function pctOf(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** One review as the reviewer-pattern check reads it. */
export interface ReviewTiming {
  reviewer: string;
  approved: boolean;
  /** From the case's arrival to the review. */
  tookMs: number;
}

export interface ReviewerPolicy {
  /** Reviews a reviewer needs in the window before anything is said about them. */
  minReviews: number;
  /** An approval share at or above this, with a median time under `fastMs`, is a rubber stamp. */
  approvalShare: number;
  fastMs: number;
}

export const DEFAULT_REVIEWER_POLICY: ReviewerPolicy = { minReviews: 20, approvalShare: 0.98, fastMs: 5000 };

/**
 * Reviewers who approve (nearly) everything, fast: the human check is not happening. A finding
 * for operators, not a reason to move the mode.
 */
export function reviewerPatterns(
  reviews: readonly ReviewTiming[],
  policy: ReviewerPolicy = DEFAULT_REVIEWER_POLICY,
): EarlyWarning[] {
  const byReviewer = new Map<string, ReviewTiming[]>();
  for (const review of reviews) byReviewer.set(review.reviewer, [...(byReviewer.get(review.reviewer) ?? []), review]);
  const warnings: EarlyWarning[] = [];
  for (const [reviewer, own] of byReviewer) {
    if (own.length < policy.minReviews) continue;
    const approved = own.filter((review) => review.approved).length / own.length;
    const times = own.map((review) => review.tookMs).sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    if (approved < policy.approvalShare || median >= policy.fastMs) continue;
    warnings.push({
      kind: 'reviewer_pattern',
      scope: `reviewer:${reviewer}`,
      message: `reviewer ${reviewer} approved ${pctOf(approved)} of ${own.length} reviews, median ${(median / 1000).toFixed(1)} s after arrival`,
      evidence: { reviewer, reviews: own.length, approvedShare: approved, medianMs: median },
    });
  }
  return warnings;
}
