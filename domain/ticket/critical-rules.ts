// The critical paths, as rules a person can read: patterns over a ticket's subject and body that
// name a team without the model. Safe mode routes by them alone; in every mode a rule that
// disagrees with the model sends the case to a person with both proposals.
// The set is versioned: a case records which version fired, and a changed pattern is a new version.
import type { TicketCategory } from './categories';

export const CRITICAL_RULES_VERSION = 'critical-rules/1';

export interface CriticalRule {
  name: string;
  category: TicketCategory;
  pattern: RegExp;
}

/** In priority order: the first that matches names the team. */
export const CRITICAL_RULES: readonly CriticalRule[] = [
  {
    name: 'lost_or_stolen_card',
    category: 'cards',
    pattern:
      /\b(lost|stolen|missing|misplaced)\b[^.!?]{0,40}\bcards?\b|\bcards?\b[^.!?]{0,40}\b(lost|stolen|missing|misplaced)\b/i,
  },
  {
    name: 'compromised_account',
    category: 'account_security',
    pattern:
      /\b(hacked|compromised|phishing|account takeover)\b|\bsomeone (else )?(has )?(accessed|logged in|got into|is using) my (account|app)\b/i,
  },
  {
    name: 'unrecognised_payment',
    category: 'payments',
    pattern:
      /\b(don'?t|do not|didn'?t|did not|can'?t|cannot) recogni[sz]e\b[^.!?]{0,60}\b(payment|charge|transaction|debit)s?\b|\b(unrecogni[sz]ed|unauthori[sz]ed|fraudulent) (card )?(payment|charge|transaction|debit)s?\b/i,
  },
  {
    name: 'urgent_billing',
    category: 'payments',
    pattern:
      /\b(urgent(ly)?|asap|immediately)\b[^.!?]{0,80}\b(charged?|billing|billed|refund|overcharged)\b|\b(charged?|billing|billed|refund|overcharged)\b[^.!?]{0,80}\b(urgent(ly)?|asap|immediately)\b/i,
  },
];

export interface CriticalMatch {
  rulesVersion: string;
  /** The rule that names the team, and every rule that matched (for the record). */
  rule: string;
  fired: string[];
  category: TicketCategory;
}

/** The first critical rule the ticket matches, or null. */
export function matchCriticalRules(
  ticket: { subject: string; body: string },
  rules: readonly CriticalRule[] = CRITICAL_RULES,
): CriticalMatch | null {
  const text = `${ticket.subject}\n${ticket.body}`;
  const fired = rules.filter((rule) => rule.pattern.test(text));
  if (fired.length === 0) return null;
  return {
    rulesVersion: CRITICAL_RULES_VERSION,
    rule: fired[0].name,
    fired: fired.map((r) => r.name),
    category: fired[0].category,
  };
}
