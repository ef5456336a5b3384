// A held-out set for the invoice text rules, which were written while looking at the public data
// sets: invoices generated with pdf-lib in English, German and French, three layouts, the number
// and date formats each language writes, and three currencies. The truth is what was written.
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { extractInvoicePdf } from '../extraction/extract';
import type { Truth } from '../extraction/evaluate';
import { writtenAmount, type Language } from './written-amounts';

type Layout = 'inline' | 'stacked' | 'columns';

const LABELS: Record<
  Language,
  { number: string; date: string; total: string; subtotal: string; tax: string; title: string }
> = {
  en: {
    number: 'Invoice No:',
    date: 'Invoice Date:',
    total: 'Total amount due:',
    subtotal: 'Subtotal:',
    tax: 'VAT 20%:',
    title: 'INVOICE',
  },
  de: {
    number: 'Rechnungsnummer:',
    date: 'Rechnungsdatum:',
    total: 'Gesamtbetrag:',
    subtotal: 'Nettobetrag:',
    tax: 'MwSt. 19%:',
    title: 'RECHNUNG',
  },
  fr: {
    number: 'Facture n°',
    date: 'Date de facture :',
    total: 'Total TTC :',
    subtotal: 'Total HT :',
    tax: 'TVA 20% :',
    title: 'FACTURE',
  },
};
const MONTHS: Record<Language, string[]> = {
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
  de: [
    'Januar',
    'Februar',
    'März',
    'April',
    'Mai',
    'Juni',
    'Juli',
    'August',
    'September',
    'Oktober',
    'November',
    'Dezember',
  ],
  fr: [
    'janvier',
    'février',
    'mars',
    'avril',
    'mai',
    'juin',
    'juillet',
    'août',
    'septembre',
    'octobre',
    'novembre',
    'décembre',
  ],
};
const SELLERS = [
  'Brightwater Tools Ltd',
  'Kessler Maschinenbau GmbH',
  'Atelier Moreau SARL',
  'Northwind Traders Inc',
  'Vogel & Söhne KG',
  'Lumière Conseil SAS',
];
const CURRENCIES = [
  { code: 'EUR', mark: '€' },
  { code: 'USD', mark: '$' },
  { code: 'GBP', mark: '£' },
];

function formatDate(iso: string, language: Language, spelled: boolean): string {
  const [year, month, day] = iso.split('-').map(Number);
  const dd = String(day).padStart(2, '0');
  const mm = String(month).padStart(2, '0');
  if (spelled) {
    const name = MONTHS[language][month - 1];
    if (language === 'en') return `${name} ${day}, ${year}`;
    if (language === 'de') return `${day}. ${name} ${year}`;
    return `${day} ${name} ${year}`;
  }
  return language === 'de' ? `${dd}.${mm}.${year}` : `${dd}/${mm}/${year}`;
}

interface HeldOut {
  name: string;
  language: Language;
  layout: Layout;
  seller: string;
  invoiceNumber: string;
  issueDate: string;
  currency: string;
  total: number;
}

async function render(invoice: HeldOut, spelledDate: boolean, markBefore: boolean): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const labels = LABELS[invoice.language];
  const mark = CURRENCIES.find((currency) => currency.code === invoice.currency)!.mark;
  const money = (value: number) =>
    markBefore
      ? `${mark}${writtenAmount(value, invoice.language)}`
      : `${writtenAmount(value, invoice.language)} ${mark}`;
  let y = 790;
  const at = (text: string, x: number, size = 10, face = font) => page.drawText(text, { x, y, size, font: face });
  const next = (gap = 18) => (y -= gap);
  const field = (label: string, value: string) => {
    if (invoice.layout === 'inline') {
      at(`${label} ${value}`, 50);
      next();
    } else if (invoice.layout === 'stacked') {
      at(label, 50);
      next(14);
      at(value, 50);
      next();
    } else {
      at(label, 320);
      at(value, 440);
      next();
    }
  };
  at(invoice.seller, 50, 16, bold);
  next(22);
  at('12 Harbour Road, 4000 Porttown', 50, 9);
  next(30);
  at(labels.title, 50, 14, bold);
  next(26);
  field(labels.number, invoice.invoiceNumber);
  field(labels.date, formatDate(invoice.issueDate, invoice.language, spelledDate));
  next(10);
  const net = Math.round((invoice.total / 1.2) * 100) / 100;
  at(`Consulting services  1  ${money(net)}`, 50);
  next(26);
  field(labels.subtotal, money(net));
  field(labels.tax, money(Math.round((invoice.total - net) * 100) / 100));
  field(labels.total, money(invoice.total));
  return pdf.save();
}

/** `count` held-out invoices as ground truth, each extracted from its rendered PDF on load. */
export function heldOutInvoices(count = 60): Truth[] {
  const languages: Language[] = ['en', 'de', 'fr'];
  const layouts: Layout[] = ['inline', 'stacked', 'columns'];
  return Array.from({ length: count }, (_, i) => {
    const language = languages[i % 3];
    const layout = layouts[Math.floor(i / 3) % 3];
    const currency = CURRENCIES[Math.floor(i / 9) % 3].code;
    const invoice: HeldOut = {
      name: `held-out/${language}-${layout}-${currency}-${i}`,
      language,
      layout,
      seller: SELLERS[i % SELLERS.length],
      invoiceNumber: `${['INV', 'RE', 'FA'][i % 3]}-2026-${String(1000 + i * 7)}`,
      issueDate: `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + ((i * 5) % 28)).padStart(2, '0')}`,
      currency,
      // Totals from tens to tens of thousands, so thousands separators appear.
      total: Math.round((12.5 + ((i * 7919) % 4000) * 7.31) * 100) / 100,
    };
    const spelledDate = i % 2 === 1;
    const markBefore = i % 4 === 0;
    return {
      document: invoice.name,
      fields: {
        invoiceNumber: invoice.invoiceNumber,
        issueDate: invoice.issueDate,
        seller: invoice.seller,
        currency: invoice.currency,
        total: invoice.total,
      },
      load: async (useEmbedded: boolean) =>
        extractInvoicePdf(await render(invoice, spelledDate, markBefore), { useEmbedded }),
    };
  });
}
