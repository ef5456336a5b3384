// The figures the governor steers by, evaluated on every tick (a local activity on the worker):
// the error budget from labelled findings, early warnings from the unlabelled proposals and
// from the reviewers' pace, raised as alerts here, once per warning and fast window.
import type { Knex } from 'knex';
import { raiseAlert } from '../db/alerts';
import { budgetFigures } from '../db/outcomes';
import { predictionsBetween, reviewsBetween } from '../db/predictions';
import { earlyWarnings, reviewerPatterns, type EarlyWarning } from '../domain/early-warnings';
import type { GovernorActivities } from '../workflows/activity-types';

export function budgetActivities(db: Knex): Pick<GovernorActivities, 'evaluateBudget'> {
  return {
    async evaluateBudget(windows) {
      const figures = await budgetFigures(db, windows);
      if (!windows.referenceWindowMs) return figures;
      const now = Date.now();
      const recentFrom = new Date(now - windows.fastWindowMs);
      const [recent, reference, reviews] = await Promise.all([
        predictionsBetween(db, recentFrom, new Date(now)),
        predictionsBetween(db, new Date(recentFrom.getTime() - windows.referenceWindowMs), recentFrom),
        reviewsBetween(db, new Date(now - windows.slowWindowMs), new Date(now)),
      ]);
      const warnings = [...earlyWarnings(recent, reference), ...reviewerPatterns(reviews)];
      await Promise.all(warnings.map((warning) => raiseWarning(db, warning, now, windows.fastWindowMs)));
      return { ...figures, warnings };
    },
  };
}

/** One alert per warning, scope and fast window: a lasting warning is raised again once per window. */
function raiseWarning(db: Knex, warning: EarlyWarning, now: number, windowMs: number) {
  return raiseAlert(db, {
    key: `warning:${warning.kind}:${warning.scope}:${Math.floor(now / windowMs)}`,
    kind: 'early_warning',
    severity: 'warning',
    message: `${warning.scope === 'global' ? '' : `${warning.scope}: `}${warning.message}`,
    evidence: warning,
    at: new Date(now).toISOString(),
  });
}
