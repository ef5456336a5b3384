// Today's workflow code must replay the recorded histories. Since the first release baseline
// (test/histories/0.1.0) a change ships under Worker Versioning: PINNED cases never meet code they
// did not start on, so their histories here are the baseline's; the governor (AUTO_UPGRADE) must
// keep replaying every recorded run, which a change to it guarantees with `patched()`. The last
// test shows the check can fail: a build with a changed command sequence does not replay.
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

  it('has the baseline: every path of every workflow type, each distinct command sequence replayed once', () => {
    const baseline = recorded.filter((file) => file.startsWith('0.1.0/'));
    expect(baseline.filter((file) => file.includes('/ticket-')).length).toBeGreaterThanOrEqual(8);
    expect(baseline.filter((file) => file.includes('/invoice-invoice-')).length).toBeGreaterThanOrEqual(4);
    for (const type of ['governor-continued-as-new', 'invoice-audit'])
      expect(
        baseline.some((file) => file.endsWith(`/${type}.json`)),
        type,
      ).toBe(true);
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s', (file) => {
    expect(results.get(file), `${file} was not replayed`).toBeDefined();
    expect(results.get(file)!.error).toBeUndefined();
  });
});

describe('a change to the command sequence without versioning', () => {
  it('fails to replay a history recorded before the change, with a determinism error', async () => {
    // The changed build starts every ticket with a timer: a command the baseline never issued.
    const replayed = Worker.runReplayHistory(
      { workflowBundle: { codePath: inject('changedWorkflowBundle') } },
      history('0.1.0/ticket-auto.json'),
      'ticket-auto',
    );
    const error = await replayed.catch((err: unknown) => err);
    expect(error).toBeInstanceOf(DeterminismViolationError);
  });

  it('replays the same history with the baseline code', async () => {
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: inject('workflowBundle') } },
      history('0.1.0/ticket-auto.json'),
      'ticket-auto',
    );
  });
});
