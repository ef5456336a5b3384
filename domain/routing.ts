// The routing policy: how much the agent may do alone, given its confidence and the system's mode.
// Pure and deterministic so the workflow, the API and the tests all apply the very same rule.
import type { Mode, RoutingDecision, Thresholds } from './case';

export const DEFAULT_THRESHOLDS: Thresholds = { auto: 0.85, assisted: 0.6, reducedAuto: 0.95 };

export interface RoutingInput {
  confidence: number;
  anomaly: boolean;
  /** False for a confidence that is not a calibrated probability: a human always checks. Default true. */
  calibrated?: boolean;
  mode: Mode;
  thresholds: Thresholds;
  /**
   * The team a critical rule names for the case, when one matched. Null or absent: no rule
   * matched, or the kind has none.
   */
  critical?: { category: string } | null;
  /** The model's category; compared with the rule's. */
  category?: string;
}

/**
 * The model disagrees with a critical rule when it proposes another team with at least the
 * assisted confidence; below that it has no proposal to set against the rule.
 */
function disagrees({ critical, category, confidence, thresholds }: RoutingInput): boolean {
  return !!critical && category !== undefined && category !== critical.category && confidence >= thresholds.assisted;
}

export function routeCase(input: RoutingInput): RoutingDecision {
  const { confidence, anomaly, calibrated = true, mode, thresholds, critical } = input;
  if (mode === 'shutdown') return { route: 'manual', reason: 'mode_shutdown', suggestionVisible: false };
  if (disagrees(input)) return { route: 'assisted', reason: 'rule_disagreement', suggestionVisible: true };
  // Safe mode: the model decides nothing; a critical rule routes what it recognises, alone.
  if (mode === 'safe' && critical) return { route: 'auto', reason: 'critical_rule', suggestionVisible: true };
  if (anomaly) return { route: 'manual', reason: 'anomaly', suggestionVisible: true };
  // Without a calibrated confidence there is no band to place it in: a human checks the suggestion.
  if (!calibrated) return { route: 'assisted', reason: 'uncalibrated', suggestionVisible: true };
  if (confidence < thresholds.assisted) return { route: 'manual', reason: 'low_confidence', suggestionVisible: true };
  if (mode === 'safe') return { route: 'assisted', reason: 'mode_safe', suggestionVisible: true };
  if (mode === 'human_routing') return { route: 'assisted', reason: 'mode_human_routing', suggestionVisible: true };
  const autoAbove = mode === 'reduced' ? thresholds.reducedAuto : thresholds.auto;
  if (confidence > autoAbove) return { route: 'auto', reason: 'confident', suggestionVisible: true };
  return { route: 'assisted', reason: 'uncertain', suggestionVisible: true };
}

/** Thresholds must be ordered, or a band of the policy silently disappears. */
export function validateThresholds(thresholds: Thresholds): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(thresholds)) {
    if (!(value >= 0 && value <= 1)) problems.push(`${name} must be between 0 and 1 (got ${value})`);
  }
  if (thresholds.assisted > thresholds.auto)
    problems.push(`assisted (${thresholds.assisted}) must not exceed auto (${thresholds.auto})`);
  if (thresholds.reducedAuto < thresholds.auto)
    problems.push(`reducedAuto (${thresholds.reducedAuto}) must be at least auto (${thresholds.auto})`);
  return problems;
}
