// Matching an invoice to its purchase order (two-way) and to the goods received (three-way), line
// by line, within tolerances. Pure: every result names the line that failed, what it was compared
// with and by how much, so a reviewer sees the reason without opening the PO.
import type { GoodsReceipt, PurchaseOrder, PurchaseOrderLine } from './reference';

export interface InvoiceLine {
  /** The PO line it bills, when the invoice says; otherwise matched by description. */
  poLineNo?: number;
  description: string;
  quantity: number;
  /** Unit price in minor units. */
  unitPrice: number;
}

export interface MatchTolerances {
  /** A unit price may differ from the PO's by this share or this many minor units, whichever is larger. */
  pricePct: number;
  priceAbs: number;
  /** Quantity over what remains to invoice (or was received), as a share and an absolute amount. */
  quantityPct: number;
  quantityAbs: number;
}

export const DEFAULT_TOLERANCES: MatchTolerances = { pricePct: 0.02, priceAbs: 100, quantityPct: 0, quantityAbs: 0 };

export type LineProblem = 'no_po_line' | 'price' | 'over_remaining' | 'over_received';

export interface LineMatch {
  /** 1-based position on the invoice. */
  invoiceLine: number;
  poLineNo: number | null;
  problems: LineProblem[];
  /** Invoice unit price minus the PO's, in minor units (0 without a PO line). */
  priceDifference: number;
  /** Quantity beyond what remains to invoice on the PO line (0 when within). */
  overRemaining: number;
  /** Quantity beyond what was received and not yet invoiced, in a three-way match (0 when within). */
  overReceived: number;
  /** Each problem in words, with the figures. */
  explanation: string[];
}

export type MatchStatus = 'matched' | 'mismatch' | 'no_po' | 'po_not_found' | 'wrong_vendor' | 'wrong_currency';

export interface MatchResult {
  status: MatchStatus;
  /** Three-way when the PO has goods receipts, else two-way. */
  kind: 'two_way' | 'three_way' | null;
  poNumber: string | null;
  lines: LineMatch[];
  /** True when the invoice bills only part of what remains on the PO. */
  partial: boolean;
  explanation: string[];
}

const within = (excess: number, base: number, pct: number, abs: number) => excess <= Math.max(base * pct, abs);

function findLine(line: InvoiceLine, po: PurchaseOrder, taken: Set<number>): PurchaseOrderLine | null {
  if (line.poLineNo !== undefined) return po.lines.find((candidate) => candidate.lineNo === line.poLineNo) ?? null;
  const wanted = line.description.trim().toLowerCase();
  return (
    po.lines.find(
      (candidate) => !taken.has(candidate.lineNo) && candidate.description.trim().toLowerCase() === wanted,
    ) ?? null
  );
}

export function matchInvoice(input: {
  poNumber: string | null;
  vendorId: string | null;
  currency: string | null;
  lines: readonly InvoiceLine[];
  po: PurchaseOrder | null;
  receipts: readonly GoodsReceipt[];
  tolerances?: MatchTolerances;
}): MatchResult {
  const tolerances = input.tolerances ?? DEFAULT_TOLERANCES;
  const { po } = input;
  const none = (status: MatchStatus, why: string): MatchResult => ({
    status,
    kind: null,
    poNumber: input.poNumber,
    lines: [],
    partial: false,
    explanation: [why],
  });
  if (!input.poNumber) return none('no_po', 'the invoice names no purchase order');
  if (!po) return none('po_not_found', `purchase order ${input.poNumber} is not on record`);
  if (input.vendorId !== null && po.vendorId !== input.vendorId)
    return none(
      'wrong_vendor',
      `purchase order ${po.poNumber} belongs to vendor ${po.vendorId}, not ${input.vendorId}`,
    );
  if (input.currency !== null && po.currency !== input.currency)
    return none(
      'wrong_currency',
      `purchase order ${po.poNumber} is in ${po.currency}, the invoice in ${input.currency}`,
    );

  const receipts = input.receipts.filter((receipt) => receipt.poNumber === po.poNumber);
  const threeWay = receipts.length > 0;
  const taken = new Set<number>();
  let partial = false;
  const lines = input.lines.map((line, index): LineMatch => {
    const poLine = findLine(line, po, taken);
    const result: LineMatch = {
      invoiceLine: index + 1,
      poLineNo: poLine?.lineNo ?? null,
      problems: [],
      priceDifference: 0,
      overRemaining: 0,
      overReceived: 0,
      explanation: [],
    };
    if (!poLine) {
      result.problems.push('no_po_line');
      result.explanation.push(`line ${index + 1} ("${line.description}") matches no line of ${po.poNumber}`);
      return result;
    }
    taken.add(poLine.lineNo);
    result.priceDifference = line.unitPrice - poLine.unitPrice;
    if (!within(Math.abs(result.priceDifference), poLine.unitPrice, tolerances.pricePct, tolerances.priceAbs)) {
      result.problems.push('price');
      result.explanation.push(
        `line ${index + 1}: unit price ${line.unitPrice} against ${poLine.unitPrice} on PO line ${poLine.lineNo} (${signed(result.priceDifference)})`,
      );
    }
    const remaining = poLine.quantity - poLine.invoicedQuantity;
    if (line.quantity < remaining) partial = true;
    const overRemaining = line.quantity - remaining;
    if (overRemaining > 0 && !within(overRemaining, remaining, tolerances.quantityPct, tolerances.quantityAbs)) {
      result.overRemaining = overRemaining;
      result.problems.push('over_remaining');
      result.explanation.push(
        `line ${index + 1}: quantity ${line.quantity}, ${remaining} left to invoice on PO line ${poLine.lineNo} (${overRemaining} over)`,
      );
    }
    if (threeWay) {
      const received = receipts
        .filter((receipt) => receipt.lineNo === poLine.lineNo)
        .reduce((total, receipt) => total + receipt.quantity, 0);
      const receivable = received - poLine.invoicedQuantity;
      const overReceived = line.quantity - receivable;
      if (overReceived > 0 && !within(overReceived, receivable, tolerances.quantityPct, tolerances.quantityAbs)) {
        result.overReceived = overReceived;
        result.problems.push('over_received');
        result.explanation.push(
          `line ${index + 1}: quantity ${line.quantity}, ${Math.max(0, receivable)} received and not yet invoiced on PO line ${poLine.lineNo} (${overReceived} over)`,
        );
      }
    }
    return result;
  });
  const failed = lines.filter((line) => line.problems.length > 0);
  if (input.lines.length === 0) {
    return {
      status: 'mismatch',
      kind: threeWay ? 'three_way' : 'two_way',
      poNumber: po.poNumber,
      lines,
      partial,
      explanation: ['the invoice has no lines to match'],
    };
  }
  return {
    status: failed.length === 0 ? 'matched' : 'mismatch',
    kind: threeWay ? 'three_way' : 'two_way',
    poNumber: po.poNumber,
    lines,
    partial,
    explanation:
      failed.length === 0
        ? [`all ${lines.length} lines match ${po.poNumber}`]
        : failed.flatMap((line) => line.explanation),
  };
}

const signed = (value: number) => (value > 0 ? `+${value}` : String(value));
