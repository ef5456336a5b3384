// The system's autonomy mode: anyone authenticated reads it, ops change it.
import { Router } from 'express';
import { READER_ROLES } from '../../domain/roles';
import { actingAs, requireRole } from '../auth';
import { ChangesQuery, ModeBody } from '../schemas';
import type { GovernorService } from '../services/governor';

export function governorRoutes(governor: GovernorService): Router {
  const router = Router();
  router.get('/governor', requireRole(...READER_ROLES), async (_req, res) => {
    const [{ mode, since, reason, operator, seq, scopes }, budget, warnings, alerts] = await Promise.all([
      governor.get(),
      governor.budget(),
      governor.warnings(),
      governor.activeAlerts(),
    ]);
    res.json({ mode, since, reason, operator, seq, scopes: scopes ?? {}, budget, warnings, alerts });
  });
  router.get('/governor/changes', requireRole(...READER_ROLES), async (req, res) => {
    const { limit } = ChangesQuery.parse(req.query);
    res.json({ items: await governor.changes(limit) });
  });
  router.get('/governor/alerts', requireRole(...READER_ROLES), async (req, res) => {
    const { limit } = ChangesQuery.parse(req.query);
    res.json({ items: await governor.alerts(limit) });
  });
  router.post('/governor/mode', requireRole('ops'), async (req, res) => {
    const body = ModeBody.parse(req.body);
    const state = await governor.setMode({
      mode: body.mode,
      reason: body.reason,
      operator: actingAs(req, body.operator, 'operator'),
      ...(body.scope ? { scope: body.scope } : {}),
    });
    res.json(state);
  });
  return router;
}
