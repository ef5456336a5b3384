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
const files = readdirSync(DIR, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.json'))
  .sort();

function history(file: string) {
  return historyFromJSON(JSON.parse(readFileSync(join(DIR, file), 'utf8')));
}

describe('recorded histories replay against the current workflow code', () => {
  // One replay worker for all of them; each history is replayed under its file name as id.
  const results = new Map<string, ReplayResult>();
  beforeAll(async () => {
    const histories = files.map((file) => ({ workflowId: file, history: history(file) }));
    const replays = Worker.runReplayHistories({ workflowBundle: { codePath: inject('workflowBundle') } }, histories);
    for await (const result of replays) results.set(result.workflowId, result);
  });

  it('has histories of every recorded version to replay', () => {
    expect(files.filter((file) => file.startsWith('v1/')).length).toBeGreaterThanOrEqual(6);
    expect(files.filter((file) => file.startsWith('v3/')).length).toBeGreaterThanOrEqual(6);
    expect(files.filter((file) => file.startsWith('v4/')).length).toBeGreaterThanOrEqual(6);
    expect(files.filter((file) => file.startsWith('v5/')).length).toBeGreaterThanOrEqual(6);
    expect(files.filter((file) => file.startsWith('v6/')).length).toBeGreaterThanOrEqual(6);
    expect(files.filter((file) => file.startsWith('v7/')).length).toBeGreaterThanOrEqual(6);
    expect(files.filter((file) => file.startsWith('v8/')).length).toBeGreaterThanOrEqual(9);
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
