// Builds the activities a worker registers, from the dependencies the worker owns.
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { ModeSource } from '../db/mode-listener';
import type { TicketClassifier } from '../model/classifier';
import type { Activities } from '../workflows/activity-types';
import { budgetActivities } from './budget';
import { modeActivities } from './mode';
import { recordActivities } from './record';
import { checkActivities } from './invoice/checks';
import { extractActivity } from './invoice/extract';
import { settleActivities } from './invoice/settle';
import { classifyActivity } from './ticket/classify';
import { criticalRulesActivity } from './ticket/critical-rules';

export interface ActivityDeps {
  db: Knex;
  client: Client;
  classifier: TicketClassifier;
  modes: ModeSource;
  /** Share of automatic decisions drawn for an audit. */
  auditRate?: number;
  /** Cases per page a mode broadcast lists and resumes from. */
  broadcastPageSize?: number;
}

export function createActivities(deps: ActivityDeps): Activities {
  return {
    classifyTicket: classifyActivity(deps.classifier),
    matchCriticalRules: criticalRulesActivity,
    ...recordActivities(deps.db, deps.auditRate),
    ...modeActivities(deps.db, deps.client, deps.modes, deps.broadcastPageSize),
    ...budgetActivities(deps.db),
    extractInvoice: extractActivity(deps.db),
    ...checkActivities(deps.db),
    ...settleActivities(deps.db),
  };
}
