// The fraud evaluation's pipeline on a small corpus: generated PDFs through the intake check, text
// extraction, PO matching, fraud scoring and the auto-approval rule. Every kind of fraud must
// reach people; clean, matched invoices under the limit mostly must not.
import { describe, expect, it } from 'vitest';
import { evaluateFraud } from '../evaluation/fraud-eval';
import { FRAUD_KINDS } from '../evaluation/fraud-corpus';

describe('the fraud evaluation', () => {
  it('sends every kind of fraud to people and approves clean, matched invoices alone', async () => {
    const result = await evaluateFraud(72, 0.5, 11);
    expect(result.fraudulent).toBe(36);
    expect(result.byKind.map((row) => row.kind)).toEqual([...FRAUD_KINDS]);
    for (const row of result.byKind) {
      expect(row.invoices, row.kind).toBeGreaterThan(0);
      expect(row.sentToPeople, row.kind).toBe(row.invoices);
    }
    expect(result.fraudRecall).toBe(1);
    expect(result.cleanAutoApprovalShare).toBeGreaterThanOrEqual(0.8);
    // The fields the checks depend on were read off the rendered PDFs as written.
    expect(result.misreadFields).toEqual({});
    // A new vendor with urgent language: gated, whatever else the invoice says.
    const newUrgent = result.verdicts.filter((verdict) => verdict.fraud === 'vendor_new_urgent');
    for (const verdict of newUrgent)
      expect(verdict.signals).toEqual(expect.arrayContaining(['vendor_new', 'urgency_language']));
  });
});
