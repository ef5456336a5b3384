// Classifies a ticket with whichever classifier the worker was built with.
import type { TicketClassifier } from '../../model/classifier';
import type { TicketActivities } from '../../workflows/activity-types';

export function classifyActivity(classifier: TicketClassifier): TicketActivities['classifyTicket'] {
  return ({ subject, body }) => classifier.classify(`${subject}\n${body}`);
}
