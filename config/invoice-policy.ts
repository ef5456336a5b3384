// The invoice policy from a JSON file (INVOICE_POLICY_FILE): any part left out keeps its default.
// Amounts in minor units, as everywhere in the invoice rules. Checked here, at start, so that a
// matrix with a hole in it never reaches a running case.
import { z } from 'zod';
import { DEFAULT_INVOICE_POLICY, type InvoicePolicy } from '../domain/invoice/policy';

const minorUnits = z.number().int().min(0);
const approvers = z.union([z.literal(1), z.literal(2)]);

const PolicyFile = z
  .object({
    approval: z
      .object({
        autoApproveLimit: minorUnits,
        highRiskScore: z.number().gt(0).max(1),
        bands: z
          .array(z.object({ upTo: minorUnits.nullable(), approvers: z.object({ low: approvers, high: approvers }) }))
          .min(1),
      })
      .partial()
      .strict(),
    tolerances: z
      .object({
        pricePct: z.number().min(0),
        priceAbs: minorUnits,
        quantityPct: z.number().min(0),
        quantityAbs: z.number().min(0),
      })
      .partial()
      .strict(),
    duplicateWindowDays: z.number().int().min(0),
  })
  .partial()
  .strict();

export function parseInvoicePolicy(json: string): InvoicePolicy {
  const parsed = PolicyFile.safeParse(JSON.parse(json));
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  }
  const file = parsed.data;
  const policy: InvoicePolicy = {
    approval: { ...DEFAULT_INVOICE_POLICY.approval, ...file.approval },
    tolerances: { ...DEFAULT_INVOICE_POLICY.tolerances, ...file.tolerances },
    duplicateWindowDays: file.duplicateWindowDays ?? DEFAULT_INVOICE_POLICY.duplicateWindowDays,
  };
  const { bands } = policy.approval;
  const limits = bands.map((band) => band.upTo);
  if (limits.at(-1) !== null) throw new Error('approval.bands: the last band must have upTo null (any amount above)');
  if (limits.slice(0, -1).some((limit, index) => limit === null || (index > 0 && limit <= limits[index - 1]!)))
    throw new Error('approval.bands: upTo must increase, and only the last band may be open');
  return policy;
}
