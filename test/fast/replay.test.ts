// Today's workflow code must replay the histories recorded from earlier versions: a change that
// would break running cases fails here unless it is versioned with `patched`. The last test shows
// that this check can fail: the same code with its `patched()` guards removed does not replay a
// history recorded before the patch.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker, type ReplayResult } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { beforeAll, describe, expect, inject, it } from 'vitest';

const DIR = join(__dirname, '..', 'histories');
// One folder per recorded version of the workflow code (v1, v2, ...): all of them must replay.
const recorded = readdirSync(DIR, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.json'))
  .sort();

function history(file: string) {
  return historyFromJSON(JSON.parse(readFileSync(join(DIR, file), 'utf8')));
}

/**
 * What replay checks of a history: the sequence of events with their markers (patch ids),
 * activity types and signal names. A later recording with the same sequence as an earlier one
 * exercises the same commands, so it is replayed once, as the oldest recording of that sequence.
 */
function commandSequence(file: string): string {
  const events: Record<string, unknown>[] = JSON.parse(readFileSync(join(DIR, file), 'utf8')).events;
  return events
    .map((event) => {
      const attributes = Object.entries(event).find(([key]) => key.endsWith('Attributes'))?.[1] as
        | {
            markerName?: string;
            details?: Record<string, { payloads?: { data?: string }[] }>;
            activityType?: { name: string };
            signalName?: string;
          }
        | undefined;
      return `${String(event.eventType)}|${attributes ? markerOrName(attributes) : ''}`;
    })
    .join('\n');
}

/** A marker by its name and what it names (a patch id, a local activity's type); else the activity or signal. */
function markerOrName(attributes: {
  markerName?: string;
  details?: Record<string, { payloads?: { data?: string }[] }>;
  activityType?: { name: string };
  signalName?: string;
}): string {
  if (!attributes.markerName) return attributes.activityType?.name ?? attributes.signalName ?? '';
  const decoded = Object.values(attributes.details ?? {})
    .flatMap((entry) => entry.payloads ?? [])
    .map((payload) => Buffer.from(payload.data ?? '', 'base64').toString('utf8'))
    .join(' ');
  const named = /"patch_id"\s*:\s*"([^"]+)"|"activity_type"\s*:\s*"([^"]+)"|^"?([\w-]+)"?$/.exec(decoded);
  return `${attributes.markerName}:${named?.[1] ?? named?.[2] ?? named?.[3] ?? ''}`;
}

const seen = new Set<string>();
const files = recorded.filter((file) => {
  const key = `${file.split('/').at(-1)}\n${commandSequence(file)}`;
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
});

describe('recorded histories replay against the current workflow code', () => {
  // One replay worker for all of them; each history is replayed under its file name as id.
  const results = new Map<string, ReplayResult>();
  beforeAll(async () => {
    const histories = files.map((file) => ({ workflowId: file, history: history(file) }));
    const replays = Worker.runReplayHistories({ workflowBundle: { codePath: inject('workflowBundle') } }, histories);
    for await (const result of replays) results.set(result.workflowId, result);
  });

  it('has histories of every recorded version, each distinct command sequence replayed once', () => {
    for (const version of ['v1', 'v3', 'v4', 'v5', 'v6', 'v7']) {
      expect(recorded.filter((file) => file.startsWith(`${version}/`)).length, version).toBeGreaterThanOrEqual(6);
    }
    expect(recorded.filter((file) => file.startsWith('v8/')).length).toBeGreaterThanOrEqual(9);
    // v9 brings the invoice workflow (auto, four eyes, timeout, a scan) and the invoice audit.
    expect(recorded.filter((file) => file.startsWith('v9/invoice')).length).toBeGreaterThanOrEqual(5);
    // v10: a ticket is first recorded once routed (no write before classifying).
    expect(recorded.filter((file) => file.startsWith('v10/ticket')).length).toBeGreaterThanOrEqual(8);
    // v11: the steps that take milliseconds inside one workflow task (an automatic ticket is one).
    expect(recorded.filter((file) => file.startsWith('v11/')).length).toBeGreaterThanOrEqual(13);
    // Later versions repeat some sequences; every version still brings at least one of its own.
    expect(files.length).toBeLessThan(recorded.length);
    for (const version of ['v1', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8', 'v9', 'v10', 'v11']) {
      expect(
        files.some((file) => file.startsWith(`${version}/`)),
        version,
      ).toBe(true);
    }
  });

  it.each(files)('%s', (file) => {
    expect(results.get(file), `${file} was not replayed`).toBeDefined();
    expect(results.get(file)!.error).toBeUndefined();
  });
});

describe('a change to the command sequence without patched()', () => {
  it('fails to replay a history recorded before the change, with a determinism error', async () => {
    // v1 tickets asked for the mode through a regular activity; the unversioned copy always takes
    // the local-activity path that `patched('current-mode-local-activity')` guards.
    const replayed = Worker.runReplayHistory(
      { workflowBundle: { codePath: inject('unversionedWorkflowBundle') } },
      history('v1/ticket-auto.json'),
      'ticket-auto',
    );
    const error = await replayed.catch((err: unknown) => err);
    expect(error).toBeInstanceOf(DeterminismViolationError);
  });
});
