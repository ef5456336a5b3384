// The critical rules as an activity: pure matching, but run outside the workflow so that what
// fired (and under which rules version) is recorded in history, and a new rules version never
// changes how an older case replays.
import { matchCriticalRules } from '../../domain/ticket/critical-rules';
import type { TicketActivities } from '../../workflows/activity-types';

export const criticalRulesActivity: TicketActivities['matchCriticalRules'] = async (ticket) =>
  matchCriticalRules(ticket);
