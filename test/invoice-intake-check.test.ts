// What an uploaded invoice file must be: each bad file is refused with its own reason before
// anything is stored; a scan without a text layer is accepted but flagged for a person; the same
// bytes always hash the same.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { checkInvoicePdf } from '../extraction/pdf-intake';
import { findDataset } from '../model/datasets';

/** A minimal, well-formed PDF whose one page draws `text` (or nothing), with a correct xref table. */
function pdfWith(text: string | null, extraTrailer = ''): Uint8Array {
  const stream = text === null ? '' : `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${extraTrailer}>>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(body, 'latin1'));
}

describe('checking an uploaded invoice file', () => {
  it('accepts a readable PDF, with its text, pages and hash', async () => {
    const text = 'Invoice INV-7 total 810.00 EUR due in 30 days';
    const checked = await checkInvoicePdf(pdfWith(text));
    expect(checked).toMatchObject({ ok: true, pages: 1, hasTextLayer: true });
    if (!checked.ok) return;
    expect(checked.text).toContain('INV-7');
    expect(checked.sha256).toMatch(/^[0-9a-f]{64}$/);
    const again = await checkInvoicePdf(pdfWith(text));
    expect(again.ok && again.sha256).toBe(checked.sha256);
    const other = await checkInvoicePdf(pdfWith('Invoice INV-8 total 811.00 EUR due in 30 days'));
    expect(other.ok && other.sha256).not.toBe(checked.sha256);
  });

  it('accepts a page without a text layer, flagged for a person', async () => {
    expect(await checkInvoicePdf(pdfWith(null))).toMatchObject({ ok: true, hasTextLayer: false });
  });

  it.each([
    ['an empty file', new Uint8Array(0), 'empty_file', 400],
    [
      'a PNG named invoice.pdf',
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      'not_a_pdf',
      415,
    ],
    ['text', new Uint8Array(Buffer.from('Invoice 42, total 10 EUR')), 'not_a_pdf', 415],
    ['an encrypted PDF', pdfWith('secret', '/Encrypt << /Filter /Standard /V 2 /R 3 >> '), 'encrypted_pdf', 422],
    ['a truncated PDF', pdfWith('Invoice INV-9 total 1.00').slice(0, 60), 'unreadable_pdf', 422],
  ])('refuses %s', async (_what, bytes, code, status) => {
    expect(await checkInvoicePdf(bytes)).toMatchObject({ ok: false, code, status, message: expect.any(String) });
  });

  it('refuses a file over the size limit before reading it', async () => {
    expect(await checkInvoicePdf(pdfWith('x'.repeat(100)), 64)).toMatchObject({
      ok: false,
      code: 'file_too_large',
      status: 413,
    });
  });

  const places = loadConfig().datasets;
  const invoices = findDataset(places, 'invoice2data', ['ground_truth.derived.jsonl']);
  it.skipIf(!invoices)('accepts every real invoice in invoice2data, each with a text layer', async () => {
    const files = readdirSync(invoices!).filter((file) => file.endsWith('.pdf'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const checked = await checkInvoicePdf(new Uint8Array(readFileSync(join(invoices!, file))));
      expect(checked, file).toMatchObject({ ok: true, hasTextLayer: true });
    }
  });
});
