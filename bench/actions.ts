// `npm run bench -- --only actions`: what each recorded path costs in server actions, counted
// from the baseline histories the replay test keeps (test/histories/<version>/). Temporal Cloud bills per action; the counting rule below follows
// its published categories and is an estimate from history, as Cloud's own history view is.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface HistoryEvent {
  eventType: string;
  markerRecordedEventAttributes?: { markerName?: string };
}

const EVENT = (name: string) => `EVENT_TYPE_${name}`;

/**
 * Actions in one history: the start, each activity attempt, each timer, each signal and Update
 * received, each search-attribute upsert, and the local activities of one workflow task as one.
 * Patch markers are not counted: they are history events, not work done for the case.
 */
export function actionsOf(events: HistoryEvent[]) {
  let actions = 0;
  let localActivityInTask = false;
  let workflowTasks = 0;
  let regularActivities = 0;
  for (const event of events) {
    switch (event.eventType) {
      case EVENT('WORKFLOW_EXECUTION_STARTED'):
      case EVENT('TIMER_STARTED'):
      case EVENT('WORKFLOW_EXECUTION_SIGNALED'):
      case EVENT('WORKFLOW_EXECUTION_UPDATE_ACCEPTED'):
      case EVENT('UPSERT_WORKFLOW_SEARCH_ATTRIBUTES'):
        actions += 1;
        break;
      case EVENT('ACTIVITY_TASK_STARTED'):
        actions += 1;
        regularActivities += 1;
        break;
      case EVENT('WORKFLOW_TASK_COMPLETED'):
        workflowTasks += 1;
        localActivityInTask = false;
        break;
      case EVENT('MARKER_RECORDED'):
        if (event.markerRecordedEventAttributes?.markerName !== 'core_local_activity') break;
        if (!localActivityInTask) actions += 1;
        localActivityInTask = true;
        break;
    }
  }
  return { actions, workflowTasks, regularActivities, events: events.length };
}

const HISTORIES = join(__dirname, '..', 'test', 'histories');

/** Each case path of one recorded version (the baseline by default). */
export function benchActions(version = '0.1.0') {
  const read = (file: string) =>
    (JSON.parse(readFileSync(join(HISTORIES, version, file), 'utf8')) as { events: HistoryEvent[] }).events;
  const files = readdirSync(join(HISTORIES, version)).filter(
    (file) => file.startsWith('ticket-') || file.startsWith('invoice-invoice-'),
  );
  return files.map((file) => {
    const counted = actionsOf(read(file));
    return {
      path: file.replace(/\.json$/, ''),
      actions: counted.actions,
      'workflow tasks': counted.workflowTasks,
      'activity tasks': counted.regularActivities,
      events: counted.events,
    };
  });
}
