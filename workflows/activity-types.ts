// What workflows may ask of activities, as types only: the sandbox never loads activity code.
import type { Classification, CaseSnapshot, DecisionRecord, ModeState } from '../domain/types';

export interface TicketActivities {
  classifyTicket(input: { subject: string; body: string }): Promise<Classification>;
  currentMode(): Promise<ModeState>;
  recordCase(snapshot: CaseSnapshot): Promise<void>;
  recordDecision(input: { snapshot: CaseSnapshot; decision: DecisionRecord }): Promise<void>;
}

export interface GovernorActivities {
  broadcastModeChange(input: { change: ModeState; previous: ModeState['mode'] }): Promise<{ signalled: number }>;
}

export type Activities = TicketActivities & GovernorActivities;
