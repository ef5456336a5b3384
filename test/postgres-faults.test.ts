// PostgreSQL dropping every connection, again and again, while tickets flow: clients get a 503
// (never a 500) and retry with the same externalId; in the end every ticket is one case, one
// workflow and one decision. Nothing is lost and nothing is written twice.
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDatabase } from '../db/connect';
import { eventually } from './support/eventually';
import { KEYS, startTestStack, type TestStack } from './support/stack';
import { ticket } from './support/tickets';

let s: TestStack;

beforeAll(async () => {
  s = await startTestStack(__filename, { RATE_LIMIT: '0' });
});
afterAll(() => s?.stop());

const TICKETS = 40;
const CLIENTS = 5;

describe('PostgreSQL drops its connections while tickets flow', () => {
  it(
    'answers 503 or success, never 500; retried tickets are each decided exactly once',
    { timeout: 180_000 },
    async () => {
      const database = new URL(s.config.databaseUrl).pathname.slice(1);
      const admin = new Client({ connectionString: withDatabase(s.config.databaseUrl, 'postgres') });
      await admin.connect();
      let drops = 0;
      let mostConnections = 0;
      let flowing = true;
      const dropper = (async () => {
        while (flowing) {
          const { rows } = await admin.query('SELECT count(*)::int AS open FROM pg_stat_activity WHERE datname = $1', [
            database,
          ]);
          mostConnections = Math.max(mostConnections, rows[0].open);
          const { rowCount } = await admin.query(
            'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
            [database],
          );
          drops += rowCount ?? 0;
          await new Promise((resolve) => setTimeout(resolve, 30));
        }
      })();

      const statuses = new Map<number, number>();
      const tickets = Array.from({ length: TICKETS }, () => ticket('auto'));
      let next = 0;
      const client = async () => {
        while (next < tickets.length) {
          const sent = tickets[next++];
          for (let attempt = 0; ; attempt++) {
            const res = await s.http('POST', '/v1/tickets', { body: sent });
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            if (res.status === 202 || res.status === 200) {
              // Reading the case back meets the same outages: 503 or the case, never a 500.
              const read = await s.http('GET', `/v1/cases/${res.body.caseId}`, { key: KEYS.auditor });
              statuses.set(read.status, (statuses.get(read.status) ?? 0) + 1);
              expect([200, 404, 503], JSON.stringify(read.body)).toContain(read.status);
              break;
            }
            expect(res.status, JSON.stringify(res.body)).toBe(503);
            expect(attempt).toBeLessThan(100);
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
      };
      try {
        await Promise.all(Array.from({ length: CLIENTS }, client));
      } finally {
        flowing = false;
        await dropper;
        await admin.end();
      }
      console.log(
        `[postgres-faults] ${TICKETS} tickets, ${drops} connections dropped, at most ${mostConnections} open; ` +
          `answers: ${JSON.stringify(Object.fromEntries(statuses))}`,
      );
      expect(drops).toBeGreaterThan(0);
      // Reconnecting never multiplies connections: the pool's 10 and the mode listener's one, and a few in passing.
      expect(mostConnections).toBeLessThan(20);

      for (const sent of tickets) {
        const caseId = `ticket-${sent.externalId}`;
        const decision = await s.deps.client.workflow.getHandle(caseId).result();
        expect(decision.outcome).toBe('auto_decided');
      }
      const ids = tickets.map((sent) => sent.externalId);
      const rows = await eventually(
        () => s.deps.db('cases').whereIn('external_id', ids).select('case_id', 'status'),
        (found) => found.length === TICKETS && found.every((row) => row.status === 'decided'),
        'every ticket recorded as decided',
      );
      expect(new Set(rows.map((row) => row.case_id)).size).toBe(TICKETS);
      const decisions = await s.deps.db('decisions').whereIn(
        'case_id',
        ids.map((id) => `ticket-${id}`),
      );
      expect(decisions).toHaveLength(TICKETS);
      for (const id of ids.slice(0, 5)) {
        const runs = [];
        for await (const run of s.deps.client.workflow.list({ query: `WorkflowId = 'ticket-${id}'` })) runs.push(run);
        expect(runs).toHaveLength(1);
      }
    },
  );
});
