// Request bodies and query strings, validated at the edge; inside the API types are trusted.
// The rules come from domain/ (the same ones the workflows apply): this module adds only the
// JSON shape around them.
import { z } from 'zod';
import {
  CASE_KINDS,
  CASE_STATUSES,
  EXTERNAL_ID_PATTERN,
  EXTERNAL_ID_RULE,
  MODES,
  REVIEW_DECISIONS,
  parseCaseId,
} from '../domain/case';
import { VERDICTS } from '../domain/outcomes';
import { ReferenceId } from './reference-schemas';
import { MAX_COMMENT_LENGTH, reviewProblem } from '../domain/review';
import { scopeProblem } from '../domain/scopes';

const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { errorMap: () => ({ message: `must be one of ${values.join(', ')}` }) });

export const TicketBody = z
  .object({
    externalId: z.string().regex(EXTERNAL_ID_PATTERN, EXTERNAL_ID_RULE),
    subject: z.string().trim().min(1, 'is required').max(500, 'must be at most 500 characters'),
    body: z.string().trim().min(1, 'is required').max(20_000, 'must be at most 20000 characters'),
    customer: z
      .object({ id: z.string().min(1).max(200), tier: z.string().min(1).max(50).optional() })
      .strict()
      .optional(),
  })
  .strict();
export type TicketBody = z.infer<typeof TicketBody>;

/** The form fields of an invoice upload (the file itself is checked as a PDF separately). */
export const InvoiceForm = z
  .object({
    externalId: z.string().regex(EXTERNAL_ID_PATTERN, EXTERNAL_ID_RULE),
    vendorId: ReferenceId.optional(),
    poNumber: ReferenceId.optional(),
    /** The person who submits it for payment: never one of its approvers. */
    submittedBy: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type InvoiceForm = z.infer<typeof InvoiceForm>;

/** A review of any kind of case; whether its category fits the case is checked once the case is known. */
export const ReviewBody = z
  .object({
    decision: oneOf(REVIEW_DECISIONS),
    category: z.string().optional(),
    /** Optional: the key's holder is the reviewer; a different name here is refused. */
    reviewer: z.string().trim().optional(),
    comment: z.string().optional(),
  })
  .strict()
  .superRefine((review, ctx) => {
    // The reviewer is the key's holder, checked by the route; here only what the body says.
    const problem = reviewProblem({ ...review, reviewer: review.reviewer ?? 'holder' });
    if (problem) ctx.addIssue({ code: 'custom', path: problem.field ? [problem.field] : [], message: problem.message });
  });
export type ReviewBody = z.infer<typeof ReviewBody>;

/** A downstream team or system saying whether a decided case reached the right category. */
export const FeedbackBody = z
  .object({
    verdict: oneOf(VERDICTS),
    /** With `wrong`: the category the case belonged to, when the sender knows it. */
    category: z.string().min(1).max(40).optional(),
    /** Who says so: the team or system, one verdict each per case. */
    source: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._@:-]{0,99}$/, 'must be a name of A-Z a-z 0-9 . _ @ : -'),
    comment: z.string().max(MAX_COMMENT_LENGTH).optional(),
  })
  .strict()
  .superRefine((feedback, ctx) => {
    if (feedback.verdict === 'right' && feedback.category) {
      ctx.addIssue({ code: 'custom', path: ['category'], message: "is only allowed with verdict 'wrong'" });
    }
  });
export type FeedbackBody = z.infer<typeof FeedbackBody>;

export const ModeBody = z
  .object({
    mode: oneOf(MODES),
    reason: z.string().trim().min(1, 'is required').max(500),
    operator: z.string().trim().min(1).max(200).optional(),
    /** 'global' (the default), 'kind:<kind>' or 'category:<category>'. */
    scope: z
      .string()
      .trim()
      .max(120)
      .refine(
        (scope) => scopeProblem(scope) === null,
        (scope) => ({ message: scopeProblem(scope) ?? '' }),
      )
      .optional(),
  })
  .strict();
export type ModeBody = z.infer<typeof ModeBody>;

/** The statuses of cases that wait for a person: what a reviewer's queue shows. */
export const WAITING_STATUSES = ['awaiting_review', 'escalated', 'manual', 'audit'] as const;

export const CaseListQuery = z
  .object({
    kind: oneOf(CASE_KINDS).optional(),
    /** One status, several separated by commas, or `waiting` (every status a person acts on). */
    status: z
      .string()
      .transform((text) =>
        text.split(',').flatMap((status) => (status === 'waiting' ? [...WAITING_STATUSES] : [status])),
      )
      .refine((statuses) => statuses.every((status) => (CASE_STATUSES as readonly string[]).includes(status)), {
        message: `must be waiting or one or more of ${CASE_STATUSES.join(', ')}, separated by commas`,
      })
      .optional(),
    /** The team (category) the case is with now. */
    category: z.string().min(1).max(40).optional(),
    /** Why it was routed where it is (`routeReason`). */
    reason: z.string().min(1).max(40).optional(),
    /** newest first (default), oldest first, or riskiest first (lowest confidence first). */
    order: oneOf(['newest', 'oldest', 'riskiest'] as const).default('newest'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(500).optional(),
  })
  .strict();
export type CaseListQuery = z.infer<typeof CaseListQuery>;

export const CaseIdParam = z.string().refine((id) => parseCaseId(id) !== null, 'is not a case id');

export const ChangesQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }).strict();
