// Request bodies for the reference data (vendors, purchase orders, goods receipts), validated at
// the edge. Money arrives in major units with at most two decimals and is kept in minor units.
import { z } from 'zod';
import { ibanProblem } from '../domain/invoice/iban';

export const REFERENCE_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const id = z.string().regex(REFERENCE_ID, 'must be 1-64 characters of A-Z a-z 0-9 . _ : -');
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, YYYY-MM-DD')
  .refine(
    (value) =>
      !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value),
    'is not a calendar date',
  );
const minorUnits = z
  .number()
  .min(0)
  .max(1e12)
  .refine((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6, 'has more than two decimals')
  .transform((value) => Math.round(value * 100));
const quantity = z
  .number()
  .gt(0)
  .max(1e9)
  .refine((value) => Math.abs(value * 1000 - Math.round(value * 1000)) < 1e-6, 'has more than three decimals');

export const ReferenceId = id;

export const VendorBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    taxId: z.string().trim().min(1).max(64).optional(),
    status: z.enum(['active', 'blocked']).default('active'),
    addresses: z.array(z.string().trim().min(1).max(300)).max(10).default([]),
    paymentTerms: z.string().trim().min(1).max(100).optional(),
  })
  .strict();

export const BankAccountBody = z
  .object({
    iban: z
      .string()
      .max(50)
      .refine(
        (iban) => ibanProblem(iban) === null,
        (iban) => ({ message: ibanProblem(iban) ?? '' }),
      ),
  })
  .strict();

export const PurchaseOrderBody = z
  .object({
    poNumber: id,
    vendorId: id,
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'),
    issuedOn: isoDate,
    lines: z
      .array(
        z
          .object({
            lineNo: z.number().int().min(1).max(10_000),
            description: z.string().trim().min(1).max(300),
            quantity,
            unitPrice: minorUnits,
          })
          .strict(),
      )
      .min(1)
      .max(500)
      .refine(
        (lines) => new Set(lines.map((line) => line.lineNo)).size === lines.length,
        'line numbers must be unique',
      ),
  })
  .strict();

export const ReceiptBody = z
  .object({ lineNo: z.number().int().min(1).max(10_000), quantity, receivedOn: isoDate })
  .strict();

export const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();
