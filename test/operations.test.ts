// What operators plug the service into: Prometheus scrapes /metrics (figures counted in
// PostgreSQL, and the Temporal SDK's worker metrics from its own exporter), every log line is a
// JSON object and the ones about a case name it, and API keys rotate on SIGHUP without a restart.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../infra/dev-server';
import { eventually } from './support/eventually';
import { HOLDER, KEYS, startTestStack, type TestStack } from './support/stack';
import { ticket } from './support/tickets';

let s: TestStack;
const children: ChildProcess[] = [];
beforeAll(async () => {
  s = await startTestStack(__filename);
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await s?.stop();
});

/** Prometheus's text format: `# HELP`/`# TYPE` lines, then `name{labels} value` samples. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*(?:\{[^}]*\})?) (-?[\d.e+-]+|NaN|\+Inf|-Inf)$/.exec(line);
    expect(match, `not a sample line: ${line}`).not.toBeNull();
    out.set(match![1], Number(match![2]));
  }
  return out;
}

/** A process of ours with the test stack's services, and its output, line by line. */
function spawnProcess(entry: string, env: Record<string, string>): { child: ChildProcess; lines: string[] } {
  const root = join(__dirname, '..');
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'entry-points', entry)], {
    cwd: root,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: s.config.temporal.namespace,
      TASK_QUEUE: s.config.taskQueue,
      DATABASE_URL: s.config.databaseUrl,
      WORKFLOW_BUNDLE: inject('workflowBundle'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: string[] = [];
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const complete = text.split('\n');
    partial = complete.pop()!;
    lines.push(...complete.filter(Boolean));
  });
  return { child, lines };
}

const json = (lines: string[]) => lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));

describe('operations', () => {
  it('serves Prometheus metrics counted in PostgreSQL: cases, decisions, latency, confidence, overrides, budget, mode', async () => {
    const auto = (await s.http('POST', '/v1/tickets', { body: ticket('auto') })).body.caseId;
    const assisted = (await s.http('POST', '/v1/tickets', { body: ticket('assisted') })).body.caseId;
    await s.deps.client.workflow.getHandle(auto).result();
    await s.waitForCase(assisted, (c) => c.status === 'awaiting_review', 'awaiting review');
    const corrected = await s.http('POST', `/v1/cases/${assisted}/review`, {
      key: KEYS.reviewer,
      body: { decision: 'correct', category: 'general' },
    });
    expect(corrected.status).toBe(200);

    const res = await fetch(`${s.api.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const metric = samples(text);
    expect(metric.get('agent_ops_decisions_total{kind="ticket",route="auto",outcome="auto_decided"}')).toBe(1);
    expect(metric.get('agent_ops_decisions_total{kind="ticket",route="assisted",outcome="corrected"}')).toBe(1);
    expect(metric.get('agent_ops_cases{kind="ticket",status="decided",route="auto"}')).toBe(1);
    expect(metric.get('agent_ops_decision_latency_seconds_count{kind="ticket"}')).toBe(2);
    expect(metric.get('agent_ops_decision_latency_seconds_bucket{kind="ticket",le="+Inf"}')).toBe(2);
    expect(metric.get('agent_ops_confidence_count{kind="ticket"}')).toBe(2);
    expect(metric.get('agent_ops_overrides_total{kind="ticket",source="review"}')).toBe(1);
    expect(metric.get('agent_ops_mode{scope="global",mode="normal"}')).toBe(1);
    expect(metric.get('agent_ops_mode_level')).toBe(0);
    expect(metric.get('agent_ops_error_budget_left{window="5m"}')).toEqual(expect.any(Number));
    expect(text).toMatch(/# TYPE agent_ops_decision_latency_seconds histogram/);
    expect(text).toMatch(/agent_ops_api_process_resident_memory_bytes/);

    await s.http('POST', '/v1/governor/mode', { key: KEYS.ops, body: { mode: 'reduced', reason: 'metrics test' } });
    const after = samples(await (await fetch(`${s.api.url}/metrics`)).text());
    expect(after.get('agent_ops_mode{scope="global",mode="reduced"}')).toBe(1);
    expect(after.get('agent_ops_mode_level')).toBe(1);
    await s.http('POST', '/v1/governor/mode', { key: KEYS.ops, body: { mode: 'normal', reason: 'metrics test' } });
  });

  it("a worker process logs JSON lines naming the case, and serves the SDK's worker metrics", async () => {
    await s.worker.stop();
    const port = await freePort();
    const worker = spawnProcess('worker.ts', { TEMPORAL_METRICS_ADDRESS: `127.0.0.1:${port}` });
    await eventually(
      async () => json(worker.lines),
      (lines) => lines.some((line) => /polling/.test(line.msg)),
      'polling',
    );

    const caseId = (await s.http('POST', '/v1/tickets', { body: ticket('assisted') })).body.caseId;
    await s.waitForCase(caseId, (c) => c.status === 'awaiting_review', 'awaiting review');
    // A signal the case refuses: the workflow logs a warning about it.
    await s.deps.client.workflow.getHandle(caseId).signal('review', { decision: 'correct', reviewer: 'ui' });
    const refused = await eventually(
      async () => json(worker.lines).find((line) => line.msg === 'review signal refused'),
      (line) => line !== undefined,
      'the refusal logged',
    );
    const { runId } = await s.deps.client.workflow.getHandle(caseId).describe();
    expect(refused).toMatchObject({ level: 40, caseId, workflowId: caseId, runId, workflowType: 'ticketWorkflow' });
    for (const line of worker.lines) expect(() => JSON.parse(line), line).not.toThrow();

    const sdk = await eventually(
      async () => (await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => null))?.text(),
      (text) => typeof text === 'string' && /temporal_/.test(text),
      'SDK metrics served',
    );
    expect(sdk).toMatch(/temporal_worker_task_slots_available|temporal_request/);
    worker.child.kill('SIGTERM');
    await s.restartWorker();
  });

  it('an API process reloads API_KEYS_FILE on SIGHUP: the new key works, the old one is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    const file = join(dir, 'keys');
    const oldKey = 'rotate-old-key-0123456789abcdef';
    const newKey = 'rotate-new-key-0123456789abcdef';
    writeFileSync(file, `${HOLDER.auditor}=${oldKey}:auditor\n`);
    const port = await freePort();
    const api = spawnProcess('api.ts', { API_KEYS_FILE: file, PORT: String(port), API_KEYS: '' });
    await eventually(
      async () => json(api.lines),
      (lines) => lines.some((line) => line.msg === 'api listening'),
      'listening',
    );
    const read = (key: string) =>
      fetch(`http://127.0.0.1:${port}/v1/cases?limit=1`, { headers: { authorization: `Bearer ${key}` } }).then(
        (res) => res.status,
      );
    expect(await read(oldKey)).toBe(200);
    expect(await read(newKey)).toBe(401);

    writeFileSync(file, `${HOLDER.auditor}=${newKey}:auditor\n`);
    api.child.kill('SIGHUP');
    await eventually(
      () => read(newKey),
      (status) => status === 200,
      'the new key accepted',
    );
    expect(await read(oldKey)).toBe(401);

    // A file that does not parse changes nothing.
    writeFileSync(file, 'not a key line');
    api.child.kill('SIGHUP');
    await eventually(
      async () => json(api.lines),
      (lines) => lines.some((line) => /NOT reloaded/.test(line.msg)),
      'the bad file reported',
    );
    expect(await read(newKey)).toBe(200);
    // Its access log lines name the case a request is about.
    await fetch(`http://127.0.0.1:${port}/v1/cases/ticket-some-case`, {
      headers: { authorization: `Bearer ${newKey}` },
    });
    const line = await eventually(
      async () => json(api.lines).find((entry) => entry.msg === 'request' && entry.caseId === 'ticket-some-case'),
      (entry) => entry !== undefined,
      'the access line',
    );
    expect(line).toMatchObject({ status: 404, workflowId: 'ticket-some-case', holder: HOLDER.auditor });
    // A case that exists: its run id too.
    const known = (await s.http('POST', '/v1/tickets', { body: ticket('auto') })).body.caseId;
    await s.deps.client.workflow.getHandle(known).result();
    await fetch(`http://127.0.0.1:${port}/v1/cases/${known}`, { headers: { authorization: `Bearer ${newKey}` } });
    const { runId } = await s.deps.client.workflow.getHandle(known).describe();
    await eventually(
      async () => json(api.lines).find((entry) => entry.msg === 'request' && entry.caseId === known),
      (entry) => entry?.runId === runId,
      'the access line with the run id',
    );
  });
});

describe('the queue and the desk', () => {
  it('lists what waits, oldest or riskiest first, filtered by kind, team and reason, page by page', async () => {
    const texts = ['assisted', 'manual', 'assisted', 'manual'] as const;
    const ids: string[] = [];
    for (const text of texts) ids.push((await s.http('POST', '/v1/tickets', { body: ticket(text) })).body.caseId);
    for (const id of ids) await s.waitForCase(id, (c) => c.route !== null && c.route !== 'auto', 'waiting');
    const list = (query: string) => s.http('GET', `/v1/cases?${query}`, { key: KEYS.auditor });

    const oldest = await list('status=waiting&order=oldest&limit=200');
    const mine = oldest.body.items.filter((item: { caseId: string }) => ids.includes(item.caseId));
    expect(mine.map((item: { caseId: string }) => item.caseId)).toEqual(ids);
    const riskiest = (await list('status=waiting&order=riskiest&limit=200')).body.items.map(
      (item: { suggestion: { confidence: number } | null }) => item.suggestion?.confidence ?? -1,
    );
    expect(riskiest).toEqual([...riskiest].sort((a, b) => a - b));
    const manual = (await list('status=waiting&reason=low_confidence&order=oldest')).body.items;
    expect(manual.length).toBeGreaterThanOrEqual(2);
    for (const item of manual) expect(item.routeReason).toBe('low_confidence');
    const team = manual[0].category;
    for (const item of (await list(`status=waiting&category=${team}`)).body.items) expect(item.category).toBe(team);
    expect((await list('status=waiting&kind=invoice')).body.items).toEqual([]);

    // Page by page in each order, every case once.
    for (const order of ['oldest', 'newest', 'riskiest']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: { caseId: string }[]; nextCursor: string | null } } = await list(
          `status=waiting&order=${order}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        );
        seen.push(...page.body.items.map((item) => item.caseId));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(new Set(seen).size, order).toBe(seen.length);
      expect(seen.length, order).toBe(oldest.body.items.length);
    }
    expect((await list('status=waiting,bogus')).status).toBe(400);
    const oldestCursor = (await list('status=waiting&order=oldest&limit=1')).body.nextCursor;
    expect((await list(`status=waiting&order=riskiest&cursor=${oldestCursor}`)).status).toBe(400);
  });

  it('tells the page who holds the key and what each kind takes; dashboards only for auditors and ops', async () => {
    const me = await s.http('GET', '/v1/me', { key: KEYS.reviewer });
    expect(me.body).toMatchObject({
      holder: HOLDER.reviewer,
      roles: ['reviewer'],
      kinds: { invoice: { decisions: ['approve', 'reject', 'request_changes'] } },
    });
    expect(me.body.kinds.ticket.categories).toContain('cards');
    expect((await s.http('GET', '/v1/dashboard', { key: KEYS.reviewer })).status).toBe(403);
    const dashboard = await s.http('GET', '/v1/dashboard?range=1h', { key: KEYS.ops });
    expect(dashboard.status).toBe(200);
    expect(dashboard.body).toMatchObject({ range: '1h', budget: 0.02, mode: { mode: 'normal' } });
    expect(dashboard.body.recent.length).toBeGreaterThan(0);
    expect(dashboard.body.overridesByReviewer).toEqual(
      expect.arrayContaining([expect.objectContaining({ reviewer: HOLDER.reviewer, wrong: 1 })]),
    );
    expect((await s.http('GET', '/v1/dashboard?range=1y', { key: KEYS.ops })).status).toBe(400);
    const page = await fetch(`${s.api.url}/ui/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/frame-src 'self' blob:/);
    expect((await fetch(`${s.api.url}/ui/vendor/uPlot.esm.js`)).status).toBe(200);
  });
});
