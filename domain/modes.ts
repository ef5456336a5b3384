// Rules about the system's autonomy mode that hold wherever a mode change comes from.
import { MODES, type Mode, type ModeState } from './case';
import { scopeProblem } from './scopes';
import { unstorableTextProblem } from './storable-text';

/** Operators that are not people: automatic governance may tighten the mode but never lift a shutdown. */
export const SYSTEM_OPERATOR = 'system:governor';

/** Where the system starts before any change is recorded: normal, sequence 0. */
export function initialModeState(since: string): ModeState {
  return { mode: 'normal', since, reason: 'initial mode', operator: SYSTEM_OPERATOR, seq: 0 };
}

export function isMode(value: unknown): value is Mode {
  return typeof value === 'string' && (MODES as readonly string[]).includes(value);
}

/**
 * Whether an operator is a person: not automation (`system:…`) and not a service account (a key
 * holder named `svc-…`, or a key known only by its fingerprint, `key:…`).
 */
export function isPerson(operator: string): boolean {
  const name = operator.trim();
  return name !== '' && !/^(system:|svc-|key:)/.test(name);
}

/**
 * Why a change is not allowed, or null when it is. `from` is the mode the scope holds now (the
 * global mode when the change has no scope); a scoped shutdown, too, takes a person to lift.
 */
export function modeChangeRefusal(
  from: Mode,
  to: Mode,
  operator: string,
  reason: string,
  scope?: string,
): string | null {
  if (!isMode(to)) return `unknown mode '${String(to)}'`;
  if (scope !== undefined) {
    const problem = typeof scope === 'string' ? scopeProblem(scope) : 'a scope must be a string';
    if (problem) return problem;
  }
  if (typeof reason !== 'string' || reason.trim() === '') return 'a mode change needs a reason';
  if (typeof operator !== 'string' || operator.trim() === '') return 'a mode change needs an operator';
  const reasonProblem = unstorableTextProblem(reason);
  if (reasonProblem) return `the reason ${reasonProblem}`;
  const operatorProblem = unstorableTextProblem(operator);
  if (operatorProblem) return `the operator ${operatorProblem}`;
  if (from === 'shutdown' && to !== 'shutdown' && !isPerson(operator)) {
    return 'leaving shutdown takes a person';
  }
  return null;
}
