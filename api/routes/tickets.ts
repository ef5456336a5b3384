// POST /v1/tickets: a backend service opens a ticket case.
import { Router } from 'express';
import { requireRole } from '../auth';
import { TicketBody } from '../schemas';
import type { CaseService } from '../services/cases';

export function ticketRoutes(cases: CaseService): Router {
  const router = Router();
  router.post('/tickets', requireRole('service'), async (req, res) => {
    const started = await cases.startTicket(TicketBody.parse(req.body));
    res.locals.caseId = started.caseId;
    res.locals.runId = started.runId;
    res
      .status(started.created ? 202 : 200)
      .location(`/v1/cases/${started.caseId}`)
      .json({ caseId: started.caseId, status: started.status });
  });
  return router;
}
