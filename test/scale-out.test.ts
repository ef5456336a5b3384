// The service as more than one process on one Temporal: two `npm start`s racing on the same
// Temporal leave one governor.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client } from '@temporalio/client';
import { freePort } from '../infra/dev-server';
import { GOVERNOR_WORKFLOW_ID } from '../workflows/messages';
import { eventually } from './support/eventually';
import { freshDatabaseUrl, startTestStack, type TestStack } from './support/stack';
import { dropDatabase } from '../db/connect';

const ROOT = join(__dirname, '..');
let s: TestStack;
const children: ChildProcess[] = [];

beforeAll(async () => {
  s = await startTestStack(__filename);
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await s?.stop();
});

describe('two npm starts racing on one Temporal', () => {
  it('leave one governor', async () => {
    const namespace = 'scale-out-race';
    const databaseUrl = freshDatabaseUrl('scale_race');
    const starts = await Promise.all(
      [0, 1].map(async () => {
        const child = spawn('npm', ['start', '--silent'], {
          cwd: ROOT,
          env: {
            ...process.env,
            NODE_ENV: 'development',
            TEMPORAL_ADDRESS: inject('temporalAddress'),
            TEMPORAL_NAMESPACE: namespace,
            TASK_QUEUE: `race-${Date.now()}`,
            DATABASE_URL: databaseUrl,
            WORKFLOW_BUNDLE: inject('workflowBundle'),
            PORT: String(await freePort()),
          },
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: true,
        });
        children.push(child);
        let out = '';
        child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
        return { child, output: () => out };
      }),
    );
    try {
      for (const start of starts)
        await eventually(
          async () => start.output(),
          (out) => /Ctrl-C stops everything|failed/.test(out),
          'npm start ready',
          120_000,
        );
      for (const start of starts) expect(start.output()).toMatch(/governor running: mode normal/);
      const race = new Client({ connection: s.deps.client.connection, namespace });
      const running = await race.workflow.count(
        `WorkflowId = '${GOVERNOR_WORKFLOW_ID}' AND ExecutionStatus = 'Running'`,
      );
      const everRun = await race.workflow.count(`WorkflowId = '${GOVERNOR_WORKFLOW_ID}'`);
      expect({ running: running.count, everRun: everRun.count }).toEqual({ running: 1, everRun: 1 });
    } finally {
      for (const { child } of starts) if (child.exitCode === null) process.kill(-child.pid!, 'SIGINT');
      await Promise.all(starts.map(({ child }) => (child.exitCode === null ? once(child, 'exit') : null)));
      await dropDatabase(databaseUrl);
    }
  }, 180_000);
});
