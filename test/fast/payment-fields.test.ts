// Payment fields read off an invoice's text: the IBAN only when its check digits hold, the PO it
// bills, the payment terms and the due date, in English, German and French.
import { describe, expect, it } from 'vitest';
import { paymentFieldsFromText } from '../../extraction/payment-fields';

describe('payment fields from page text', () => {
  it('an English invoice', () => {
    const fields = paymentFieldsFromText(
      [
        'Invoice INV-2026-118',
        'PO Number: PO-1001',
        'Payment terms: Net 30',
        'Due date: 14/11/2026',
        'IBAN: DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX',
        'Remit to: Hauptstr. 1, 10115 Berlin',
      ].join('\n'),
    );
    expect(fields).toMatchObject({
      iban: { value: 'DE89370400440532013000', confidence: 0.9 },
      poNumber: { value: 'PO-1001' },
      paymentTerms: { value: 'Net 30', confidence: 0.9 },
      dueDate: { value: '2026-11-14' },
      remitTo: { value: 'Hauptstr. 1, 10115 Berlin' },
    });
  });
  it('German and French labels', () => {
    expect(
      paymentFieldsFromText('Bestellnummer: 4500012345\nZahlbar innerhalb von 14 Tagen\nFällig am 01.12.2026'),
    ).toMatchObject({
      poNumber: { value: '4500012345' },
      paymentTerms: { value: 'Zahlbar innerhalb von 14 Tagen' },
      dueDate: { value: '2026-12-01' },
    });
    expect(paymentFieldsFromText('Bon de commande : BC-2026-77\nÉchéance : 15/12/2026')).toMatchObject({
      poNumber: { value: 'BC-2026-77' },
      dueDate: { value: '2026-12-15' },
    });
  });
  it('never offers an IBAN whose check digits fail; an unlabelled valid one is only medium', () => {
    expect(paymentFieldsFromText('IBAN: DE89 3704 0044 0532 0130 01').iban).toBeUndefined();
    expect(paymentFieldsFromText('Pay to GB33BUKB20201555555555 by Friday').iban).toMatchObject({ confidence: 0.7 });
  });
  it('unusual terms are read as written, for the fraud checks to judge', () => {
    expect(paymentFieldsFromText('URGENT: immediate wire required').paymentTerms?.value).toBe('immediate wire');
    expect(paymentFieldsFromText('Nothing about money here')).toEqual({});
  });
});
