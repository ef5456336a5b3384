// Creates (or brings up to date) the Schedule that runs the invoice audit every period. One per
// namespace, whichever process gets there first; a changed period or rate replaces the old one.
import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';
import type { invoiceAuditWorkflow } from '../workflows/invoice-audit';

export const INVOICE_AUDIT_SCHEDULE_ID = 'agent-ops-invoice-audit';

export async function ensureInvoiceAuditSchedule(
  client: Client,
  taskQueue: string,
  audit: { everyMs: number; rate: number },
): Promise<void> {
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'invoiceAuditWorkflow',
    taskQueue,
    args: [{ periodMs: audit.everyMs, rate: audit.rate }] as Parameters<typeof invoiceAuditWorkflow>,
  };
  const spec = { intervals: [{ every: audit.everyMs }] };
  try {
    await client.schedule.create({
      scheduleId: INVOICE_AUDIT_SCHEDULE_ID,
      spec,
      action: { ...action, workflowId: INVOICE_AUDIT_SCHEDULE_ID },
      policies: { overlap: 'SKIP' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(INVOICE_AUDIT_SCHEDULE_ID).update((previous) => ({
      ...previous,
      spec,
      action: { ...action, workflowId: INVOICE_AUDIT_SCHEDULE_ID },
    }));
  }
}
