// The error-budget figures the governor evaluates on every tick (a local activity: one aggregate
// query on the worker).
import type { Knex } from 'knex';
import { budgetFigures } from '../db/outcomes';
import type { GovernorActivities } from '../workflows/activity-types';

export function budgetActivities(db: Knex): Pick<GovernorActivities, 'evaluateBudget'> {
  return { evaluateBudget: (windows) => budgetFigures(db, windows) };
}
