// Reading cases and the review queue, and reviewing a case.
import { Router } from 'express';
import { actingAs, requireRole } from '../auth';
import { CaseIdParam, CaseListQuery, FeedbackBody, ReviewBody } from '../schemas';
import type { CaseService } from '../services/cases';
import { READER_ROLES } from '../../domain/roles';
import { notFound } from '../errors';

function caseId(raw: unknown): string {
  const parsed = CaseIdParam.safeParse(raw);
  if (!parsed.success) throw notFound(`case ${raw}`);
  return parsed.data;
}

export function caseRoutes(cases: CaseService): Router {
  const router = Router();
  router.get('/cases', requireRole(...READER_ROLES), async (req, res) => {
    const page = await cases.list(CaseListQuery.parse(req.query));
    res.json(page);
  });
  router.get('/cases/:caseId', requireRole(...READER_ROLES), async (req, res) => {
    const view = await cases.get(caseId(req.params.caseId));
    res.locals.runId = view.runId;
    res.json(view);
  });
  router.get('/cases/:caseId/document', requireRole(...READER_ROLES), async (req, res) => {
    const document = await cases.document(caseId(req.params.caseId));
    res
      .type('application/pdf')
      .set('Content-Disposition', 'inline')
      .set('ETag', `"${document.sha256}"`)
      .set('Cache-Control', 'private, max-age=3600')
      .send(document.content);
  });
  router.post('/cases/:caseId/review', requireRole('reviewer'), async (req, res) => {
    const id = caseId(req.params.caseId);
    const { reviewer, ...review } = ReviewBody.parse(req.body);
    const view = await cases.review(
      id,
      { ...review, reviewer: actingAs(req, reviewer, 'reviewer') },
      req.principal!.name,
    );
    res.locals.runId = view.runId;
    res.json(view);
  });
  router.post('/cases/:caseId/feedback', requireRole('service', 'reviewer'), async (req, res) => {
    const id = caseId(req.params.caseId);
    const { created, outcome } = await cases.feedback(id, FeedbackBody.parse(req.body));
    res.status(created ? 201 : 200).json(outcome);
  });
  return router;
}
