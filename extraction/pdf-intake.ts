// What an uploaded invoice file must be before anything is stored or started: a PDF (by its
// bytes, not its name), within the size limit, not encrypted, readable. A PDF without a text
// layer is accepted but says so: a person reads it, the agent cannot. The hash identifies the
// same document submitted twice.
import { createHash } from 'node:crypto';
import { PdfError, readPdf } from './pdf-document';

export const DEFAULT_MAX_PDF_BYTES = 10 * 1024 * 1024;
/** Fewer readable characters than this on all pages: treated as a scan without a text layer. */
const MIN_TEXT_CHARACTERS = 20;

export type IntakeRefusal =
  | { code: 'empty_file'; status: 400 }
  | { code: 'file_too_large'; status: 413 }
  | { code: 'not_a_pdf'; status: 415 }
  | { code: 'encrypted_pdf'; status: 422 }
  | { code: 'unreadable_pdf'; status: 422 };

export type IntakeCheck =
  | { ok: true; sha256: string; pages: number; text: string; hasTextLayer: boolean; bytes: number }
  | ({ ok: false; message: string } & IntakeRefusal);

const refuse = <R extends IntakeRefusal>(refusal: R, message: string): IntakeCheck => ({
  ok: false,
  message,
  ...refusal,
});

/** True when the file's trailer or any object declares an /Encrypt dictionary. */
function declaresEncryption(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('/Encrypt');
}

export async function checkInvoicePdf(bytes: Uint8Array, maxBytes = DEFAULT_MAX_PDF_BYTES): Promise<IntakeCheck> {
  if (bytes.byteLength === 0) return refuse({ code: 'empty_file', status: 400 }, 'the file is empty');
  if (bytes.byteLength > maxBytes)
    return refuse(
      { code: 'file_too_large', status: 413 },
      `the file has ${bytes.byteLength} bytes; the limit is ${maxBytes}`,
    );
  // The header may follow a little junk (some generators prepend a BOM), never more than 1 KiB.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString('latin1');
  if (!head.includes('%PDF-'))
    return refuse({ code: 'not_a_pdf', status: 415 }, 'the file is not a PDF (no %PDF- header)');
  if (declaresEncryption(bytes))
    return refuse(
      { code: 'encrypted_pdf', status: 422 },
      'the PDF is encrypted: send it without a password or restrictions',
    );
  let content;
  try {
    content = await readPdf(bytes);
  } catch (err) {
    if (err instanceof PdfError) return refuse({ code: 'unreadable_pdf', status: 422 }, err.message);
    throw err;
  }
  const readable = content.text.replace(/\s+/g, '').length;
  return {
    ok: true,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    pages: content.pages,
    text: content.text,
    hasTextLayer: readable >= MIN_TEXT_CHARACTERS,
    bytes: bytes.byteLength,
  };
}
