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
import { PDFDocument } from 'pdf-lib';
import { storeDocument } from '../db/invoices';
import { insertPurchaseOrder } from '../db/reference';
import { seedDemoReference } from '../db/seed-reference';
import type { CorpusInvoice } from '../evaluation/fraud-corpus';
import { renderInvoicePdf } from '../evaluation/invoice-pdf';
import { checkInvoicePdf } from '../extraction/pdf-intake';
import type { invoiceWorkflow } from '../workflows/invoice';
import type { invoiceAuditWorkflow } from '../workflows/invoice-audit';

/** A clean Acme invoice on PO-9001: `quantity` laptop stands at 45.00 decides its approval band. */
function recordedInvoice(name: string, quantity: number): CorpusInvoice {
  const amount = quantity * 45_00;
  return {
    id: name,
    vendorId: 'V-ACME',
    vendorName: 'Acme Office Supply GmbH',
    invoiceNumber: `R-2026-${quantity}`,
    issueDate: '2026-11-02',
    dueDate: '2026-12-02',
    poNumber: 'PO-9001',
    currency: 'EUR',
    lines: [{ description: 'Laptop stand', quantity, unitPrice: 45_00, amount }],
    total: amount,
    iban: 'DE89370400440532013000',
    remitTo: 'Hauptstr. 1, 10115 Berlin, DE',
    paymentTerms: 'Net 30',
    note: 'Thank you for your business.',
    fraud: null,
  };
}

async function blankPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.addPage([595, 842]);
  return pdf.save();
}

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
            // As the API starts them with the committed model (since v11: a local activity).
            classifier: 'local',
          },
        ],
      });
    const until = async (id: string, ok: (state: CaseState) => boolean) => {
      let state: CaseState | undefined;
      for (let attempt = 0; attempt < 300; attempt++) {
        state = await client.workflow.getHandle(id).query(getCaseQuery);
        if (ok(state)) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`${id} did not reach the expected state; it is ${JSON.stringify(state).slice(0, 400)}`);
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

    // Since v9: invoices. Their PDFs are stored as the API stores them, then the workflow starts.
    await seedDemoReference(stack.deps.db);
    await insertPurchaseOrder(stack.deps.db, {
      poNumber: 'PO-9001',
      vendorId: 'V-ACME',
      currency: 'EUR',
      issuedOn: '2026-10-01',
      lines: [{ lineNo: 1, description: 'Laptop stand', quantity: 5000, unitPrice: 45_00 }],
    });
    const startInvoice = async (name: string, quantity: number, bytes?: Uint8Array) => {
      const pdf = bytes ?? (await renderInvoicePdf(recordedInvoice(name, quantity)));
      const checked = await checkInvoicePdf(pdf);
      if (!checked.ok) throw new Error(checked.message);
      const caseId = caseIdFor('invoice', name);
      const receivedAt = new Date().toISOString();
      await storeDocument(stack.deps.db, {
        caseId,
        sha256: checked.sha256,
        vendorId: 'V-ACME',
        content: pdf,
        pages: checked.pages,
        hasTextLayer: checked.hasTextLayer,
        submittedBy: 'paula',
        at: receivedAt,
      });
      const { sha256, pages, hasTextLayer } = checked;
      return client.workflow.start<typeof invoiceWorkflow>('invoiceWorkflow', {
        workflowId: caseId,
        taskQueue: config.taskQueue,
        args: [
          {
            invoice: {
              externalId: name,
              vendorId: 'V-ACME',
              poNumber: null,
              submittedBy: 'paula',
              receivedAt,
              document: { sha256, bytes: checked.bytes, pages, hasTextLayer },
            },
            policy: config.invoicePolicy,
            thresholds: config.thresholds,
            reviewTimeouts: config.reviewTimeouts,
          },
        ],
      });
    };
    console.log('recording the invoice paths ...');
    const invoiceAuto = await startInvoice('invoice-auto', 2);
    await until(invoiceAuto.workflowId, (state) => state.status === 'decided');
    await invoiceAuto.result();
    const fourEyes = await startInvoice('invoice-four-eyes', 1200);
    await until(fourEyes.workflowId, (state) => state.status === 'awaiting_review');
    await fourEyes.executeUpdate(submitReviewUpdate, { args: [{ decision: 'approve', reviewer: 'alice' }] });
    await fourEyes.signal('review', { decision: 'approve', reviewer: 'paula' }); // the submitter: refused
    await fourEyes.executeUpdate(submitReviewUpdate, { args: [{ decision: 'approve', reviewer: 'bob' }] });
    const invoiceTimedOut = await startInvoice('invoice-timed-out-then-rejected', 30);
    await until(invoiceTimedOut.workflowId, (state) => state.routeReason === 'review_timeout');
    await invoiceTimedOut.executeUpdate(submitReviewUpdate, {
      args: [{ decision: 'request_changes', reviewer: 'carol', comment: 'wrong PO' }],
    });
    const scan = await startInvoice('invoice-scan', 0, await blankPdf());
    await until(scan.workflowId, (state) => state.routeReason === 'no_text_layer');
    await scan.signal('review', { decision: 'reject', reviewer: 'dave' });
    await scan.result();
    const audit = await client.workflow.start<typeof invoiceAuditWorkflow>('invoiceAuditWorkflow', {
      workflowId: 'invoice-audit',
      taskQueue: config.taskQueue,
      args: [{ periodMs: 7 * 24 * 3600_000, rate: 1 }],
    });
    await audit.result();

    // The CLI's JSON is the format Temporal's tools (and the Web UI's download) produce.
    const cli = temporalCli({ install: true });
    const save = (name: string, workflowId: string, runId?: string) => {
      const args = ['workflow', 'show', '--address', address, '--workflow-id', workflowId, '--output', 'json'];
      if (runId) args.push('--run-id', runId);
      writeFileSync(join(out, `${name}.json`), execFileSync(cli, args));
      console.log(`recorded ${name}`);
    };
    for (const handle of [
      auto,
      approved,
      corrected,
      timedOut,
      parked,
      byRule,
      scoped,
      disagreement,
      invoiceAuto,
      fourEyes,
      invoiceTimedOut,
      scan,
      audit,
    ])
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
