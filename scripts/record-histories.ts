// `npm run record:histories -- <label>`: runs each workflow path once on a throwaway stack and
// saves the histories under test/histories/<label>/, where the replay test checks that today's
// workflow code still replays them. Record a new label after each `patched` change and keep the
// old folders: running workflows of every version must keep replaying.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadConfig } from '../config';
import { dropDatabase, withDatabase } from '../db/connect';
import { caseIdFor, type CaseState } from '../domain/case';
import { temporalCli } from '../infra/dev-server';
import { startStack } from '../infra/stack';
import { GOVERNOR_WORKFLOW_ID, getCaseQuery, setModeUpdate, submitReviewUpdate } from '../workflows/messages';
import type { ticketWorkflow } from '../workflows/ticket';
import { TEXTS } from '../test/support/texts';

async function main(): Promise<void> {
  const label = process.argv[2];
  if (!label || !/^[\w.-]+$/.test(label)) throw new Error('usage: npm run record:histories -- <label>, e.g. v2');
  const out = join(__dirname, '..', 'test', 'histories', label);
  mkdirSync(out, { recursive: true });
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const databaseUrl = withDatabase(loadConfig().databaseUrl, `agent_ops_record_${randomBytes(3).toString('hex')}`);
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    REVIEW_ESCALATE_AFTER: '1s',
    REVIEW_TIMEOUT: '2s',
    GOVERNOR_TICK: '200ms', // so the governor's history holds budget evaluations too
  });
  const stack = await startStack({ config, devServer: 'in-memory', governor: { changesPerRun: 2 } });
  const { client, address } = stack.deps;
  const governor = client.workflow.getHandle(GOVERNOR_WORKFLOW_ID);
  try {
    const start = (name: string, text: keyof typeof TEXTS) =>
      client.workflow.start<typeof ticketWorkflow>('ticketWorkflow', {
        workflowId: caseIdFor('ticket', name),
        taskQueue: config.taskQueue,
        args: [
          {
            ticket: { externalId: name, ...TEXTS[text], receivedAt: new Date().toISOString() },
            thresholds: config.thresholds,
            reviewTimeouts: config.reviewTimeouts,
          },
        ],
      });
    const until = async (id: string, ok: (state: CaseState) => boolean) => {
      for (let attempt = 0; attempt < 300; attempt++) {
        if (ok(await client.workflow.getHandle(id).query(getCaseQuery))) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`${id} did not reach the expected state`);
    };

    const auto = await start('auto', 'auto');
    await auto.result();

    const approved = await start('assisted-approved', 'assisted');
    await until(approved.workflowId, (state) => state.status === 'awaiting_review');
    await approved.executeUpdate(submitReviewUpdate, { args: [{ decision: 'approve', reviewer: 'alice' }] });

    const corrected = await start('manual-corrected-by-signal', 'manual');
    await until(corrected.workflowId, (state) => state.status === 'manual' || state.status === 'escalated');
    await corrected.signal('review', { decision: 'correct', reviewer: 'ui' } as never); // refused: no category
    await corrected.signal('review', { decision: 'correct', category: 'account_security', reviewer: 'ui' });
    await corrected.result();

    const timedOut = await start('timed-out-then-rejected', 'assisted');
    await until(timedOut.workflowId, (state) => state.routeReason === 'review_timeout');
    await timedOut.executeUpdate(submitReviewUpdate, {
      args: [{ decision: 'reject', reviewer: 'bob', comment: 'spam' }],
    });

    await governor.executeUpdate(setModeUpdate, {
      args: [{ mode: 'human_routing', reason: 'record', operator: 'ops' }],
    });
    const parked = await start('parked-by-shutdown', 'auto');
    await until(parked.workflowId, (state) => state.status === 'awaiting_review');
    await governor.executeUpdate(setModeUpdate, { args: [{ mode: 'shutdown', reason: 'record', operator: 'ops' }] });
    await until(parked.workflowId, (state) => state.mode === 'shutdown');
    await governor.executeUpdate(setModeUpdate, { args: [{ mode: 'normal', reason: 'record', operator: 'ops' }] });
    // Since v5 a case the mode sent to people stays with them when the mode relaxes.
    await until(parked.workflowId, (state) => state.mode === 'normal');
    await parked.executeUpdate(submitReviewUpdate, { args: [{ decision: 'approve', reviewer: 'carol' }] });
    await parked.result();

    // Since v8: critical rules (a local activity before classifying), safe mode, scoped modes.
    await governor.executeUpdate(setModeUpdate, { args: [{ mode: 'safe', reason: 'record', operator: 'ops' }] });
    const byRule = await start('critical-rule-in-safe-mode', 'critical');
    await byRule.result();
    await governor.executeUpdate(setModeUpdate, { args: [{ mode: 'normal', reason: 'record', operator: 'ops' }] });
    await governor.executeUpdate(setModeUpdate, {
      args: [{ mode: 'human_routing', scope: 'category:payments', reason: 'record', operator: 'ops' }],
    });
    const scoped = await start('held-by-category-scope', 'auto');
    await until(scoped.workflowId, (state) => state.routeReason === 'mode_human_routing');
    await scoped.executeUpdate(submitReviewUpdate, { args: [{ decision: 'approve', reviewer: 'dave' }] });
    await scoped.result();
    const disagreement = await start('rule-disagreement', 'disagreement');
    await until(disagreement.workflowId, (state) => state.routeReason === 'rule_disagreement');
    await disagreement.executeUpdate(submitReviewUpdate, {
      args: [{ decision: 'correct', category: 'cards', reviewer: 'erin' }],
    });
    await disagreement.result();

    // The CLI's JSON is the format Temporal's tools (and the Web UI's download) produce.
    const cli = temporalCli({ install: true });
    const save = (name: string, workflowId: string, runId?: string) => {
      const args = ['workflow', 'show', '--address', address, '--workflow-id', workflowId, '--output', 'json'];
      if (runId) args.push('--run-id', runId);
      writeFileSync(join(out, `${name}.json`), execFileSync(cli, args));
      console.log(`recorded ${name}`);
    };
    for (const handle of [auto, approved, corrected, timedOut, parked, byRule, scoped, disagreement])
      save(handle.workflowId, handle.workflowId);
    // The governor's newest finished run: each ends in continue-as-new after two changes.
    const query = `WorkflowId = '${GOVERNOR_WORKFLOW_ID}' AND ExecutionStatus = 'ContinuedAsNew'`;
    for await (const execution of client.workflow.list({ query })) {
      save('governor-continued-as-new', GOVERNOR_WORKFLOW_ID, execution.runId);
      break;
    }
  } finally {
    await stack.stop();
    await dropDatabase(databaseUrl);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
