// After the decision: what became of the invoice goes on the register (an approved one is posted
// to its vendor and PO once), and the weekly audit draws its sample of what the agent approved alone.
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { settleInvoice } from '../../db/invoices';
import { drawnForAudit } from '../../domain/outcomes';
import type { InvoiceActivities } from '../../workflows/activity-types';

export function settleActivities(db: Knex): Pick<InvoiceActivities, 'settleInvoice' | 'drawInvoiceAudit'> {
  return {
    settleInvoice: (settlement) => settleInvoice(db, settlement),
    async drawInvoiceAudit({ from, to, rate }) {
      const eligible = await db('cases')
        .where({ kind: 'invoice', status: 'decided', outcome: 'auto_decided' })
        .where('decided_at', '>=', from)
        .where('decided_at', '<', to)
        .select('case_id');
      // The draw hangs on the case and the window: a retried activity draws the same sample.
      const drawn = eligible
        .map((row) => row.case_id as string)
        .filter((caseId) =>
          drawnForAudit(createHash('sha256').update(`${caseId}|${from}`).digest().readUInt32BE(0), rate),
        );
      if (drawn.length > 0) {
        await db('cases').whereIn('case_id', drawn).where({ status: 'decided' }).update({ status: 'audit' });
      }
      return { eligible: eligible.length, drawn };
    },
  };
}
