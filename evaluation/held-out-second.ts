// A second held-out set, written on 2026-11-25 after the first one had been used to fix the text
// rules. Its first run (213/300 = 71.0%) is the held-out figure: what the rules did on documents
// they were not written against. The rules were then fixed against it too, so what
// `npm run eval:extraction` prints for it now is a development figure. Other wording than the first set (three label
// variants per field and language), four layouts (a table of lines, a letter with a "from"
// block, the seller only in the footer, labels right-aligned), three fonts, a bill-to block that
// names another company, and several line items with subtotal and tax.
import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import { extractInvoicePdf } from '../extraction/extract';
import type { Truth } from '../extraction/evaluate';
import { seededRandom } from '../simulation/seeded-random';
import { writtenAmount, type Language } from './written-amounts';

type Layout = 'table' | 'letter' | 'footer' | 'right';

interface Wording {
  number: string[];
  date: string[];
  total: string[];
  subtotal: string[];
  tax: string[];
  billTo: string;
  from: string;
  months: string[];
  header: [string, string, string, string];
}

const WORDING: Record<Language, Wording> = {
  en: {
    number: ['Invoice #', 'Bill No.', 'Invoice number'],
    date: ['Date of issue:', 'Invoice date', 'Date:'],
    total: ['Amount payable', 'Total due', 'Balance due'],
    subtotal: ['Net total', 'Subtotal'],
    tax: ['VAT (20%)', 'Sales tax 20%'],
    billTo: 'Bill to:',
    from: 'From:',
    months: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
    header: ['Description', 'Qty', 'Unit price', 'Amount'],
  },
  de: {
    number: ['Rechnung Nr.', 'Rechnungs-Nr.:', 'Belegnummer'],
    date: ['Datum:', 'Rechnungsdatum', 'Ausstellungsdatum:'],
    total: ['Zu zahlen', 'Rechnungsbetrag', 'Gesamtsumme'],
    subtotal: ['Summe netto', 'Zwischensumme'],
    tax: ['USt. 19 %', 'MwSt 19%'],
    billTo: 'Rechnungsempfänger:',
    from: 'Von:',
    months: [
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
    header: ['Bezeichnung', 'Menge', 'Einzelpreis', 'Betrag'],
  },
  fr: {
    number: ['Numéro de facture', 'Facture N°', 'N° de facture :'],
    date: ["Date d'émission", 'Date :', 'Émise le'],
    total: ['Net à payer', 'Montant TTC', 'Total TTC'],
    subtotal: ['Total HT', 'Montant HT'],
    tax: ['TVA (20 %)', 'TVA 20%'],
    billTo: 'Facturé à :',
    from: 'De :',
    months: [
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
    header: ['Désignation', 'Qté', 'Prix unitaire', 'Montant'],
  },
};
const TAX_RATE: Record<Language, number> = { en: 0.2, de: 0.19, fr: 0.2 };

const SELLERS = [
  'Harborview Supplies LLC',
  'Rheinland Logistik GmbH',
  'Boulangerie Petit SA',
  'Crestline Analytics Ltd',
  'Müller & Partner GbR',
  'Éditions Lacroix SARL',
  'Summit Office Co.',
];
const ITEMS = [
  'Printer paper A4',
  'Toner cartridge',
  'Desk lamp',
  'Network cable 5m',
  'Whiteboard markers',
  'Monitor arm',
];
const CURRENCIES = [
  { code: 'EUR', mark: '€' },
  { code: 'USD', mark: '$' },
  { code: 'GBP', mark: '£' },
];

function date(iso: string, language: Language, spelled: boolean): string {
  const [year, month, day] = iso.split('-').map(Number);
  const dd = String(day).padStart(2, '0');
  const mm = String(month).padStart(2, '0');
  const name = WORDING[language].months[month - 1];
  if (language === 'en') return spelled ? `${day} ${name} ${year}` : iso;
  if (language === 'de') return spelled ? `${day}. ${name} ${year}` : `${dd}.${mm}.${year}`;
  return spelled ? `${day} ${name} ${year}` : `${dd}/${mm}/${year}`;
}

export interface SecondHeldOut {
  name: string;
  language: Language;
  layout: Layout;
  font: StandardFonts;
  variant: number;
  seller: string;
  buyer: string;
  invoiceNumber: string;
  issueDate: string;
  spelledDate: boolean;
  currency: { code: string; mark: string };
  lines: { description: string; quantity: number; unitPrice: number; amount: number }[];
  subtotal: number;
  tax: number;
  total: number;
}

async function render(invoice: SecondHeldOut): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page: PDFPage = pdf.addPage([595, 842]);
  const font: PDFFont = await pdf.embedFont(invoice.font);
  const words = WORDING[invoice.language];
  const pick = (options: string[]) => options[invoice.variant % options.length];
  const money = (value: number) =>
    invoice.language === 'en'
      ? `${invoice.currency.mark}${writtenAmount(value, 'en')}`
      : `${writtenAmount(value, invoice.language, '\u00a0')} ${invoice.currency.mark}`;
  const text = (value: string, x: number, y: number, size = 10) => page.drawText(value, { x, y, size, font });
  const right = (value: string, xRight: number, y: number, size = 10) =>
    text(value, xRight - font.widthOfTextAtSize(value, size), y, size);

  let y = 800;
  if (invoice.layout === 'letter') {
    text(words.from, 50, y);
    text(invoice.seller, 50, (y -= 14), 12);
    text('5 Quay Street, 2100 Bayside', 50, (y -= 14));
  } else if (invoice.layout !== 'footer') {
    text(invoice.seller, 50, y, 15);
  }
  y -= 40;
  text(words.billTo, 330, y);
  text('Acme Holdings AG', 330, (y -= 13));
  text('Industriestrasse 9, 8000 Zürich', 330, (y -= 13));
  y -= 30;
  const labelled = (label: string, value: string) => {
    if (invoice.layout === 'right') {
      right(label, 300, y);
      text(value, 310, y);
    } else text(`${label} ${value}`, 50, y);
    y -= 16;
  };
  labelled(pick(words.number), invoice.invoiceNumber);
  labelled(pick(words.date), date(invoice.issueDate, invoice.language, invoice.spelledDate));
  y -= 20;
  const columns = [50, 300, 380, 540];
  if (invoice.layout === 'table') {
    words.header.forEach((head, index) =>
      index === 0 ? text(head, columns[0], y) : right(head, columns[index] + 40, y),
    );
    y -= 16;
  }
  for (const line of invoice.lines) {
    text(line.description, columns[0], y);
    right(String(line.quantity), columns[1] + 40, y);
    right(money(line.unitPrice), columns[2] + 80, y);
    right(money(line.amount), columns[3], y);
    y -= 15;
  }
  y -= 15;
  for (const [label, value] of [
    [pick(words.subtotal), invoice.subtotal],
    [pick(words.tax), invoice.tax],
    [pick(words.total), invoice.total],
  ] as const) {
    right(label, 440, y);
    right(money(value), 540, y);
    y -= 16;
  }
  if (invoice.layout === 'footer') {
    text(`${invoice.seller} · 5 Quay Street, 2100 Bayside · Registered in Bayside`, 50, 40, 8);
  }
  return pdf.save();
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** The second held-out set: `count` invoices with their truth (core fields, lines, subtotal, tax). */
export function secondHeldOut(count = 60, seed = 20261125): SecondHeldOut[] {
  const random = seededRandom(seed);
  const languages: Language[] = ['en', 'de', 'fr'];
  const layouts: Layout[] = ['table', 'letter', 'footer', 'right'];
  const fonts = [StandardFonts.TimesRoman, StandardFonts.Courier, StandardFonts.Helvetica];
  return Array.from({ length: count }, (_, i) => {
    const language = languages[i % 3];
    const layout = layouts[Math.floor(i / 3) % 4];
    const lineCount = 1 + Math.floor(random() * 4);
    const lines = Array.from({ length: lineCount }, (_, index) => {
      const quantity = 1 + Math.floor(random() * 12);
      const unitPrice = round2(2 + random() * (random() < 0.3 ? 2400 : 180));
      return {
        description: ITEMS[(i + index) % ITEMS.length],
        quantity,
        unitPrice,
        amount: round2(quantity * unitPrice),
      };
    });
    const subtotal = round2(lines.reduce((sum, line) => sum + line.amount, 0));
    const tax = round2(subtotal * TAX_RATE[language]);
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    return {
      name: `held-out-2/${language}-${layout}-${i}`,
      language,
      layout,
      font: fonts[i % 3],
      variant: Math.floor(i / 12),
      seller: SELLERS[(i * 3) % SELLERS.length],
      buyer: 'Acme Holdings AG',
      invoiceNumber: `${['HV', 'RL', 'BP', 'CA'][i % 4]}${2026}${String(100 + i * 13).padStart(4, '0')}`,
      issueDate: `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      spelledDate: i % 2 === 0,
      currency: CURRENCIES[Math.floor(i / 4) % 3],
      lines,
      subtotal,
      tax,
      total: round2(subtotal + tax),
    };
  });
}

export async function renderSecondHeldOut(invoice: SecondHeldOut): Promise<Uint8Array> {
  return render(invoice);
}

export function secondHeldOutTruths(count = 60): Truth[] {
  return secondHeldOut(count).map((invoice) => ({
    document: invoice.name,
    fields: {
      invoiceNumber: invoice.invoiceNumber,
      issueDate: invoice.issueDate,
      seller: invoice.seller,
      currency: invoice.currency.code,
      total: invoice.total,
    },
    load: async (useEmbedded: boolean) => extractInvoicePdf(await render(invoice), { useEmbedded }),
  }));
}
