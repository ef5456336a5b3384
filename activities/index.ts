// Builds the activities a worker registers, from the dependencies the worker owns.
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { TicketClassifier } from '../model/classifier';
import type { Activities } from '../workflows/activity-types';
import { classifyActivity } from './classify';
import { modeActivities, type ModeSource } from './mode';
import { recordActivities } from './record';

export interface ActivityDeps {
  db: Knex;
  client: Client;
  classifier: TicketClassifier;
  modes: ModeSource;
}

export function createActivities(deps: ActivityDeps): Activities {
  return {
    classifyTicket: classifyActivity(deps.classifier),
    ...recordActivities(deps.db),
    ...modeActivities(deps.db, deps.client, deps.modes),
  };
}
