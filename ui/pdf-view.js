// An invoice's PDF drawn with pdf.js (served from the project's own dependencies), page by page on
// canvases: it shows the same in every browser, headless ones included, and needs no plugin. A
// link opens the file itself in the browser's own viewer.
import * as pdfjs from '/ui/vendor/pdfjs/pdf.min.mjs';
import { el } from './dom.js';

pdfjs.GlobalWorkerOptions.workerSrc = '/ui/vendor/pdfjs/pdf.worker.min.mjs';

const MAX_PAGES = 5;

export async function renderPdf(container, blob) {
  const document = await pdfjs.getDocument({ data: new Uint8Array(await blob.arrayBuffer()) }).promise;
  const width = container.clientWidth || 460;
  const pages = [];
  for (let number = 1; number <= Math.min(document.numPages, MAX_PAGES); number++) {
    const page = await document.getPage(number);
    const viewport = page.getViewport({ scale: width / page.getViewport({ scale: 1 }).width });
    const canvas = el('canvas', {
      width: Math.floor(viewport.width),
      height: Math.floor(viewport.height),
      class: 'pdf-page',
    });
    await page.render({ canvasContext: canvas.getContext('2d'), viewport }).promise;
    pages.push(canvas);
  }
  const more =
    document.numPages > MAX_PAGES ? el('p', {}, `${document.numPages - MAX_PAGES} more pages in the file`) : null;
  const open = el('a', { href: URL.createObjectURL(blob), target: '_blank', rel: 'noopener' }, 'Open the PDF');
  container.replaceChildren(...pages, ...(more ? [more] : []), open);
  container.dataset.pages = String(document.numPages);
}
