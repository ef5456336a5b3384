// Text and embedded files of a PDF, through pdf.js (no native code, no install scripts).
export interface PdfContent {
  pages: number;
  /** Page texts joined with newlines; items on one line separated by spaces. */
  text: string;
  attachments: { name: string; content: Buffer }[];
}

export class PdfError extends Error {
  override name = 'PdfError';
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;

export async function readPdf(bytes: Uint8Array): Promise<PdfContent> {
  // pdf.js ships as ES modules only: load it once, lazily, from this CommonJS project.
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  const lib = await pdfjs;
  let doc;
  try {
    doc = await lib.getDocument({ data: new Uint8Array(bytes), verbosity: 0, isEvalSupported: false }).promise;
  } catch (err) {
    throw new PdfError(`not a readable PDF: ${(err as Error).message}`);
  }
  try {
    const texts: string[] = [];
    for (let p = 1; p <= doc.numPages; p++) {
      const content = await (await doc.getPage(p)).getTextContent();
      texts.push(content.items.map((i) => ('str' in i ? i.str + (i.hasEOL ? '\n' : ' ') : '')).join(''));
    }
    const raw = ((await doc.getAttachments()) ?? {}) as Record<string, { filename: string; content: Uint8Array }>;
    return {
      pages: doc.numPages,
      text: texts.join('\n'),
      attachments: Object.values(raw).map((a) => ({ name: a.filename, content: Buffer.from(a.content) })),
    };
  } finally {
    await doc.destroy();
  }
}
