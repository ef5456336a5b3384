// The weekly audit of invoices the agent approved alone: started by a Temporal Schedule, it draws a
// sample of the period's automatic approvals into the audit queue. A reviewer's finding on each
// is an outcome the error budget counts, like any audit.
import { log, proxyActivities, setWorkflowOptions } from '@temporalio/workflow';
import type { InvoiceActivities } from './activity-types';

const { drawInvoiceAudit } = proxyActivities<InvoiceActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export interface InvoiceAuditInput {
  /** The period sampled: the one that ends now. */
  periodMs: number;
  rate: number;
}

// PINNED: one short draw per Schedule firing, finished on the build that started it.
setWorkflowOptions({ versioningBehavior: 'PINNED' }, invoiceAuditWorkflow);

export async function invoiceAuditWorkflow({ periodMs, rate }: InvoiceAuditInput) {
  const to = new Date();
  const from = new Date(to.getTime() - periodMs);
  const drawn = await drawInvoiceAudit({ from: from.toISOString(), to: to.toISOString(), rate });
  log.info('invoice audit drawn', { eligible: drawn.eligible, drawn: drawn.drawn.length });
  return { from: from.toISOString(), to: to.toISOString(), ...drawn };
}
