// Invoice field extraction and its per-field confidences: parsing rules on their own, and the
// confidences checked against real invoices' ground truth where the data sets are present.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { byConfidence, checkFields, invoice2dataTruth, zugferdTruth } from '../extraction/evaluate';
import { amountsIn, datesIn, fieldsFromText, moneyIn, TIERS } from '../extraction/text-fields';
import { loadConfig } from '../config';
import { findDataset } from '../model/datasets';

describe('reading amounts and dates the way invoices write them', () => {
  it.each([
    ['Totaal € 4.904,94', [4904.94]],
    ['Total TTC : 56,02 €', [56.02]],
    ['TOTAL AMOUNT DUE $4.11', [4.11]],
    ['Grand Total Rs 1939', [1939]],
    ['Bruttosumme 529,87', [529.87]],
    ['Total 1,234.50 USD', [1234.5]],
  ])('%s', (line, want) => {
    expect(amountsIn(line)).toEqual(want);
  });
  it.each([
    ['Invoice Date: August 3 , 2014', '2014-08-03'],
    ['Date : 28/11/2022', '2022-11-28'],
    ['19 april 2014 Factuurdatum:', '2014-04-19'],
    ['Facture n°562044387 du 02 Juillet 2015', '2015-07-02'],
    ['Rechnungsdatum 7. Mai 2014', '2014-05-07'],
    ['issued 2023-03-20', '2023-03-20'],
  ])('%s', (line, want) => {
    expect(datesIn(line)[0]).toBe(want);
  });
});

describe('money on a line', () => {
  it('prefers amounts next to a currency mark over dates and years', () => {
    expect(moneyIn('TOTAL AMOUNT DUE ON August 3 , 2014 $4.11')).toEqual([4.11]);
    expect(moneyIn('Grand Total Rs 1939')).toEqual([1939]);
    expect(moneyIn('Zahlbetrag 529,87 due 04.04.2018')).toEqual([529.87]);
  });
});

describe('fields from page text', () => {
  it('a strong label on the line gives the high tier; disagreeing totals fall to the low tier', () => {
    const f = fieldsFromText('ACME Ltd\nInvoice Number: A-1001\nInvoice Date: 05/03/2024\nGrand Total EUR 1.250,00\n');
    expect(f.invoiceNumber).toMatchObject({ value: 'A-1001', confidence: TIERS.high, source: 'text' });
    expect(f.issueDate).toMatchObject({ value: '2024-03-05', confidence: TIERS.high });
    expect(f.total).toMatchObject({ value: 1250, confidence: TIERS.high });
    expect(f.currency).toMatchObject({ value: 'EUR' });
    const unsure = fieldsFromText('Amount due 100.00\nAmount due 120.00');
    expect(unsure.total!.confidence).toBe(TIERS.low);
    expect(fieldsFromText('nothing to see here').total).toBeUndefined();
  });
});

const DATASETS = loadConfig().datasets;
const i2d = findDataset(DATASETS, 'invoice2data', ['ground_truth.derived.jsonl']);
const zf = findDataset(DATASETS, 'zugferd', ['ground_truth.derived.jsonl']);
if (!i2d || !zf) console.warn('[invoice-fields] ground-truth checks skipped: invoice2data or zugferd not found');

describe.skipIf(!i2d || !zf)('confidences against real invoices', () => {
  it('embedded ZUGFeRD / Factur-X XML is read exactly, at the structured confidence', async () => {
    const { checks, missing } = await checkFields(zugferdTruth(join(zf!)), true);
    expect(missing).toEqual([]);
    expect(checks.length).toBe(26 * 5);
    expect(checks.filter((c) => !c.correct)).toEqual([]);
    expect(new Set(checks.map((c) => c.confidence))).toEqual(new Set([0.99]));
  });

  it('no confidence level is right less often than it claims, on text and XML alike', async () => {
    const runs = [await checkFields(invoice2dataTruth(i2d!), true), await checkFields(zugferdTruth(zf!), false)];
    const checks = runs.flatMap((r) => r.checks);
    expect(checks.length).toBeGreaterThan(100);
    for (const level of byConfidence(checks)) {
      // Two standard errors of slack: the levels hold only a few dozen fields each.
      const slack = 2 * Math.sqrt((level.confidence * (1 - level.confidence)) / level.fields);
      expect(level.accuracy, `confidence ${level.confidence} over ${level.fields} fields`).toBeGreaterThanOrEqual(
        level.confidence - slack,
      );
    }
  });
});
