// A mode change reaches every running case, however many: the broadcast signals them many at a
// time (bounded), and each case applies the change and records its new route. The time it takes
// for 100, 1,000 and 5,000 cases is measured by `npm run bench -- --only broadcast`, not here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually';
import { KEYS, startTestStack, type TestStack } from './support/stack';
import { ticket } from './support/tickets';

let s: TestStack;
const CASES = 150;

beforeAll(async () => {
  s = await startTestStack(__filename, { RATE_LIMIT: '0' });
});
afterAll(() => s?.stop());

const count = async (where: Record<string, string>) =>
  Number((await s.deps.db('cases').where(where).count({ n: '*' }).first())?.n ?? 0);

describe('the mode broadcast', () => {
  it(`reaches all ${CASES} running cases, each re-routed and recorded`, async () => {
    const opened: string[] = [];
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (opened.length < CASES) {
          const res = await s.http('POST', '/v1/tickets', { body: ticket('assisted') });
          expect(res.status).toBe(202);
          opened.push(res.body.caseId);
        }
      }),
    );
    await eventually(
      () => count({ status: 'awaiting_review' }),
      (waiting) => waiting >= opened.length,
      'every case waiting for a reviewer',
    );

    const res = await s.http('POST', '/v1/governor/mode', {
      key: KEYS.ops,
      body: { mode: 'shutdown', reason: 'broadcast test' },
    });
    expect(res.status).toBe(200);
    await eventually(
      () => count({ mode: 'shutdown', route: 'manual', route_reason: 'mode_shutdown' }),
      (moved) => moved >= opened.length,
      'every case moved to the manual queue',
    );
    // Each case heard it exactly once: a single broadcast, no case left behind or signalled twice.
    const sample = opened[opened.length - 1];
    const history = await s.deps.client.workflow.getHandle(sample).fetchHistory();
    const heard = history.events!.filter(
      (event) => event.workflowExecutionSignaledEventAttributes?.signalName === 'modeChanged',
    );
    expect(heard).toHaveLength(1);
  });
});
