// `npm run record:histories -- <label>`: runs each workflow path once on a throwaway stack and
// saves the histories under test/histories/<label>/, where the replay test checks that today's
// workflow code still replays them. Record a new label after each `patched` change and keep the
// old folders: running workflows of every version must keep replaying.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadConfig } from '../config';
import { dropDatabase, withDatabase } from '../db/connect';
import { freePort, startDevServer, temporalCli } from '../infra/dev-server';
import { ensureGovernor, openDeps, runWorker } from '../infra/stack';
import { GOVERNOR_WORKFLOW_ID, getCaseQuery, setModeUpdate, submitReviewUpdate } from '../workflows/messages';
import type { CaseState } from '../domain/types';
import { TEXTS } from '../test/support/texts';

async function main(): Promise<void> {
  const label = process.argv[2];
  if (!label || !/^[\w.-]+$/.test(label)) throw new Error('usage: npm run record:histories -- <label>, e.g. v2');
  const OUT = join(__dirname, '..', 'test', 'histories', label);
  mkdirSync(OUT, { recursive: true });
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const cli = temporalCli({ install: true });
  const server = await startDevServer({ cli, port: await freePort(), namespace: 'default' });
  const databaseUrl = withDatabase(
    'postgres://postgres@127.0.0.1:5432/postgres',
    `agent_ops_record_${randomBytes(3).toString('hex')}`,
  );
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: databaseUrl,
    REVIEW_ESCALATE_AFTER: '1s',
    REVIEW_TIMEOUT: '2s',
    TEMPORAL_ADDRESS: server.address,
  });
  const deps = await openDeps(config, server.address);
  const worker = await runWorker(deps);
  const { client } = deps;
  const governor = client.workflow.getHandle(GOVERNOR_WORKFLOW_ID);
  try {
    await ensureGovernor(client, deps.db, config.taskQueue, 2);
    const start = (name: string, text: keyof typeof TEXTS) =>
      client.workflow.start('ticketWorkflow', {
        workflowId: `ticket-${name}`,
        taskQueue: config.taskQueue,
        args: [
          {
            ticket: { externalId: name, ...TEXTS[text], receivedAt: new Date().toISOString() },
            thresholds: config.thresholds,
            reviewTimeouts: config.reviewTimeouts,
          },
        ],
      });
    const until = async (id: string, ok: (c: CaseState) => boolean) => {
      for (let i = 0; i < 300; i++) {
        if (ok(await client.workflow.getHandle(id).query(getCaseQuery))) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`${id} did not reach the expected state`);
    };

    const auto = await start('auto', 'auto');
    await auto.result();

    const approved = await start('assisted-approved', 'assisted');
    await until(approved.workflowId, (c) => c.status === 'awaiting_review');
    await approved.executeUpdate(submitReviewUpdate, { args: [{ decision: 'approve', reviewer: 'alice' }] });

    const corrected = await start('manual-corrected-by-signal', 'manual');
    await until(corrected.workflowId, (c) => c.status === 'manual' || c.status === 'escalated');
    await corrected.signal('review', { decision: 'correct', reviewer: 'ui' } as never); // refused: no category
    await corrected.signal('review', { decision: 'correct', category: 'account_security', reviewer: 'ui' });
    await corrected.result();

    const timedOut = await start('timed-out-then-rejected', 'assisted');
    await until(timedOut.workflowId, (c) => c.routeReason === 'review_timeout');
    await timedOut.executeUpdate(submitReviewUpdate, {
      args: [{ decision: 'reject', reviewer: 'bob', comment: 'spam' }],
    });

    await governor.executeUpdate(setModeUpdate, {
      args: [{ mode: 'human_routing', reason: 'record', operator: 'ops' }],
    });
    const parked = await start('parked-by-shutdown', 'auto');
    await until(parked.workflowId, (c) => c.status === 'awaiting_review');
    await governor.executeUpdate(setModeUpdate, { args: [{ mode: 'shutdown', reason: 'record', operator: 'ops' }] });
    await until(parked.workflowId, (c) => c.mode === 'shutdown');
    await governor.executeUpdate(setModeUpdate, { args: [{ mode: 'normal', reason: 'record', operator: 'ops' }] });
    await parked.result();

    // The CLI's JSON is the format Temporal's tools (and the Web UI's download) produce.
    const save = (name: string, workflowId: string, runId?: string) => {
      const args = ['workflow', 'show', '--address', server.address, '--workflow-id', workflowId, '--output', 'json'];
      if (runId) args.push('--run-id', runId);
      writeFileSync(join(OUT, `${name}.json`), execFileSync(cli, args));
      console.log(`recorded ${name}`);
    };
    for (const h of [auto, approved, corrected, timedOut, parked]) save(h.workflowId, h.workflowId);
    // The governor's first run: it ended in continue-as-new after two changes.
    for await (const wf of client.workflow.list({
      query: `WorkflowId = '${GOVERNOR_WORKFLOW_ID}' AND ExecutionStatus = 'ContinuedAsNew'`,
    })) {
      save('governor-continued-as-new', GOVERNOR_WORKFLOW_ID, wf.runId);
      break;
    }
  } finally {
    await worker.stop();
    await deps.close();
    await server.stop();
    await dropDatabase(databaseUrl);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
