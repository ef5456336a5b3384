// Reading cases and the review queue, and reviewing a case.
import { Router } from 'express';
import { requireRole } from '../auth';
import { CaseIdParam, CaseListQuery, ReviewBody } from '../schemas';
import type { CaseService } from '../services/cases';
import { notFound } from '../errors';

const READERS = ['auditor', 'reviewer', 'ops', 'service'] as const;

function caseId(raw: unknown): string {
  const parsed = CaseIdParam.safeParse(raw);
  if (!parsed.success) throw notFound(`case ${raw}`);
  return parsed.data;
}

export function caseRoutes(cases: CaseService): Router {
  const r = Router();
  r.get('/cases', requireRole(...READERS), async (req, res) => {
    const page = await cases.list(CaseListQuery.parse(req.query));
    res.json(page);
  });
  r.get('/cases/:caseId', requireRole(...READERS), async (req, res) => {
    res.json(await cases.get(caseId(req.params.caseId)));
  });
  r.post('/cases/:caseId/review', requireRole('reviewer'), async (req, res) => {
    const id = caseId(req.params.caseId);
    res.json(await cases.review(id, ReviewBody.parse(req.body)));
  });
  return r;
}
