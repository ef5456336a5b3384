// An invoice's own search attributes, so ops can find invoices by vendor, amount and fraud score
// in the Web UI (`CaseKind = 'invoice' AND CaseFraudScore > 0.5`).
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { InvoiceAssessment } from '../domain/invoice/types';
import * as SA from './search-attributes';

export function invoiceSearchAttributes(
  assessment: InvoiceAssessment | null,
  visible: boolean,
): SearchAttributeUpdatePair[] {
  const shown = visible ? assessment : null;
  return [
    { key: SA.CaseVendor, value: assessment?.vendorId ?? assessment?.invoice.vendorName ?? null },
    {
      key: SA.CaseAmount,
      value: typeof assessment?.invoice.total === 'number' ? assessment.invoice.total / 100 : null,
    },
    { key: SA.CaseFraudScore, value: shown && shown.unreadable === null ? shown.fraud.score : null },
  ];
}
