// Fields from an embedded e-invoice: ZUGFeRD / Factur-X (UN/CEFACT CII) or UBL. Structured data
// the seller's system wrote, so it is trusted far more than text read off the page.
import type { ExtractedField, InvoiceField } from './types';

const STRUCTURED_CONFIDENCE = 0.99;

/** The text of the first element with this local name (any namespace prefix) inside `scope`. */
function element(xml: string, path: string[]): string | null {
  let scope = xml;
  for (const name of path) {
    const m = new RegExp(`<(?:[\\w-]+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w-]+:)?${name}>`).exec(scope);
    if (!m) return null;
    scope = m[1];
  }
  return decodeXml(scope.trim());
}

function decodeXml(xml: string): string {
  return xml
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function field(value: string | number | null, evidence: string): ExtractedField | undefined {
  if (value === null || value === '' || (typeof value === 'number' && Number.isNaN(value))) return undefined;
  return { value, confidence: STRUCTURED_CONFIDENCE, source: 'embedded_xml', evidence };
}

const isoFrom102 = (s: string | null) =>
  s && /^\d{8}$/.test(s) ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}` : s;

export function fieldsFromCii(xml: string): Partial<Record<InvoiceField, ExtractedField>> {
  const total = element(xml, ['SpecifiedTradeSettlementHeaderMonetarySummation', 'GrandTotalAmount']);
  return {
    invoiceNumber: field(element(xml, ['ExchangedDocument', 'ID']), 'CII ExchangedDocument/ID'),
    issueDate: field(
      isoFrom102(element(xml, ['ExchangedDocument', 'IssueDateTime', 'DateTimeString'])),
      'CII IssueDateTime',
    ),
    seller: field(element(xml, ['SellerTradeParty', 'Name']), 'CII SellerTradeParty/Name'),
    currency: field(element(xml, ['InvoiceCurrencyCode']), 'CII InvoiceCurrencyCode'),
    total: field(total === null ? null : Number(total), 'CII GrandTotalAmount'),
  };
}

export function fieldsFromUbl(xml: string): Partial<Record<InvoiceField, ExtractedField>> {
  // cbc:ID directly under the root precedes every nested ID in document order.
  const total =
    element(xml, ['LegalMonetaryTotal', 'TaxInclusiveAmount']) ?? element(xml, ['LegalMonetaryTotal', 'PayableAmount']);
  return {
    invoiceNumber: field(element(xml, ['ID']), 'UBL cbc:ID'),
    issueDate: field(element(xml, ['IssueDate']), 'UBL cbc:IssueDate'),
    seller: field(
      element(xml, ['AccountingSupplierParty', 'PartyName', 'Name']) ??
        element(xml, ['AccountingSupplierParty', 'RegistrationName']),
      'UBL AccountingSupplierParty',
    ),
    currency: field(element(xml, ['DocumentCurrencyCode']), 'UBL DocumentCurrencyCode'),
    total: field(total === null ? null : Number(total), 'UBL LegalMonetaryTotal'),
  };
}

/** Which structured format an attachment is, if any. */
export function structuredKind(name: string, xml: string): 'cii' | 'ubl' | null {
  if (!/\.xml$/i.test(name)) return null;
  if (/CrossIndustryInvoice/.test(xml)) return 'cii';
  if (/urn:oasis:names:specification:ubl:schema:xsd:(Invoice|CreditNote)-2/.test(xml)) return 'ubl';
  return null;
}
