// Request bodies and query strings, validated at the edge; inside the API types are trusted.
import { z } from 'zod';
import { TEAMS } from '../domain/teams';
import { CASE_STATUSES, MODES, REVIEW_DECISIONS } from '../domain/types';
import { MAX_COMMENT_LENGTH } from '../domain/review';

export const TicketBody = z
  .object({
    externalId: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 characters of A-Z a-z 0-9 . _ : -'),
    subject: z.string().trim().min(1, 'is required').max(500, 'must be at most 500 characters'),
    body: z.string().trim().min(1, 'is required').max(20_000, 'must be at most 20000 characters'),
    customer: z
      .object({ id: z.string().min(1).max(200), tier: z.string().min(1).max(50).optional() })
      .strict()
      .optional(),
  })
  .strict();
export type TicketBody = z.infer<typeof TicketBody>;

export const ReviewBody = z
  .object({
    decision: z.enum(REVIEW_DECISIONS, {
      errorMap: () => ({ message: `must be one of ${REVIEW_DECISIONS.join(', ')}` }),
    }),
    category: z.enum(TEAMS, { errorMap: () => ({ message: `must be one of ${TEAMS.join(', ')}` }) }).optional(),
    reviewer: z.string().trim().min(1, 'is required').max(200),
    comment: z.string().max(MAX_COMMENT_LENGTH).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.decision === 'correct' && !r.category)
      ctx.addIssue({ code: 'custom', path: ['category'], message: "is required with decision 'correct'" });
    if (r.decision !== 'correct' && r.category)
      ctx.addIssue({ code: 'custom', path: ['category'], message: "is only allowed with decision 'correct'" });
  });
export type ReviewBody = z.infer<typeof ReviewBody>;

export const ModeBody = z
  .object({
    mode: z.enum(MODES, { errorMap: () => ({ message: `must be one of ${MODES.join(', ')}` }) }),
    reason: z.string().trim().min(1, 'is required').max(500),
    operator: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
export type ModeBody = z.infer<typeof ModeBody>;

export const CaseListQuery = z
  .object({
    status: z
      .enum(CASE_STATUSES, { errorMap: () => ({ message: `must be one of ${CASE_STATUSES.join(', ')}` }) })
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(500).optional(),
  })
  .strict();

export const CaseIdParam = z.string().regex(/^ticket-[A-Za-z0-9._:-]{1,128}$/, 'is not a case id');

export const ChangesQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }).strict();
