// Scoped modes: one category (or one kind of case) can be held in a stricter mode while the rest
// of the system runs as it is. A case routes by the strictest mode that covers it, so a scope can
// only ever take autonomy away, never grant more than the global mode allows.
import { CASE_KINDS, MODES, type CaseKind, type Mode, type ModeState } from './case';
import { CATEGORIES_OF_KIND } from './kinds';

export const GLOBAL_SCOPE = 'global';

/** Later in the ladder is stricter. */
export function stricter(mode: Mode, than: Mode): boolean {
  return MODES.indexOf(mode) > MODES.indexOf(than);
}

export function strictest(modes: readonly Mode[]): Mode {
  return modes.reduce((worst, mode) => (stricter(mode, worst) ? mode : worst), 'normal' as Mode);
}

export const categoryScope = (category: string) => `category:${category}`;
export const kindScope = (kind: CaseKind) => `kind:${kind}`;

/** The mode a case of this kind (and, once proposed, category) routes by under a broadcast state. */
export function effectiveMode(state: Pick<ModeState, 'mode' | 'scopes'>, kind: CaseKind, category?: string): Mode {
  const scopes = state.scopes ?? {};
  const held: Mode[] = [state.mode];
  const ofKind = scopes[kindScope(kind)];
  if (ofKind) held.push(ofKind);
  const ofCategory = category === undefined ? undefined : scopes[categoryScope(category)];
  if (ofCategory) held.push(ofCategory);
  return strictest(held);
}

/** Why a scope key is not one the system knows, or null when it is. */
export function scopeProblem(scope: string): string | null {
  if (scope === GLOBAL_SCOPE) return null;
  const [type, name] = scope.split(':', 2);
  if (type === 'kind' && (CASE_KINDS as readonly string[]).includes(name)) return null;
  if (type === 'category' && Object.values(CATEGORIES_OF_KIND).some((list) => list.includes(name))) return null;
  return `unknown scope '${scope}': use 'global', 'kind:<kind>' or 'category:<category>'`;
}

/** The scoped modes after setting one scope: `normal` removes the scope, it holds nothing. */
export function withScope(scopes: Record<string, Mode> | undefined, scope: string, mode: Mode): Record<string, Mode> {
  const next = { ...(scopes ?? {}) };
  if (mode === 'normal') delete next[scope];
  else next[scope] = mode;
  return next;
}

/** The mode a scope holds now: the global mode for 'global', `normal` for a scope that holds none. */
export function modeOfScope(state: Pick<ModeState, 'mode' | 'scopes'>, scope: string | undefined): Mode {
  if (scope === undefined || scope === GLOBAL_SCOPE) return state.mode;
  return state.scopes?.[scope] ?? 'normal';
}
