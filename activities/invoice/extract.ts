// Reads an invoice's stored PDF. It heartbeats while pdf.js works, so a worker that dies mid-way
// is noticed within the heartbeat timeout and the extraction runs again elsewhere, from the same
// stored bytes. A document that is gone or that pdf.js cannot open fails for good: retrying
// cannot help, and the workflow hands the invoice to a person.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from 'knex';
import { getDocument } from '../../db/invoices';
import { DOCUMENT_UNREADABLE } from '../../domain/failures';
import { PdfError } from '../../extraction/pdf-document';
import { readInvoice } from '../../extraction/read-invoice';
import type { InvoiceActivities } from '../../workflows/activity-types';

/** Page text kept for the fraud rules' language checks; the rest of a long document adds little. */
const MAX_TEXT = 20_000;

export function extractActivity(db: Knex): InvoiceActivities['extractInvoice'] {
  return async ({ caseId }) => {
    const context = Context.current();
    const beat = setInterval(() => context.heartbeat(), 1000);
    try {
      const document = await getDocument(db, caseId);
      if (!document) {
        throw ApplicationFailure.create({
          type: DOCUMENT_UNREADABLE,
          message: `no document is stored for ${caseId}`,
          nonRetryable: true,
        });
      }
      const extraction = await readInvoice(document.content);
      return { ...extraction, text: extraction.text.slice(0, MAX_TEXT) };
    } catch (err) {
      if (err instanceof PdfError) {
        throw ApplicationFailure.create({ type: DOCUMENT_UNREADABLE, message: err.message, nonRetryable: true });
      }
      throw err;
    } finally {
      clearInterval(beat);
    }
  };
}
