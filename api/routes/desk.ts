// What the review page needs beside the cases: who the key belongs to (the page shows only what
// its roles allow, and links to the Temporal Web UI), and the dashboards' figures for auditors and ops.
import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { DASHBOARD_RANGES, readDashboard, type DashboardRange } from '../../db/dashboard';
import { REVIEW_RULES_OF_KIND } from '../../domain/kinds';
import { READER_ROLES } from '../../domain/roles';
import { requireRole } from '../auth';
import type { GovernorService } from '../services/governor';

const DashboardQuery = z
  .object({
    range: z
      .enum(Object.keys(DASHBOARD_RANGES) as [DashboardRange, ...DashboardRange[]], {
        errorMap: () => ({ message: `must be one of ${Object.keys(DASHBOARD_RANGES).join(', ')}` }),
      })
      .default('24h'),
  })
  .strict();

export function deskRoutes(db: Knex, governor: GovernorService, workflowUrl?: string): Router {
  const router = Router();
  router.get('/me', requireRole(...READER_ROLES), (req, res) => {
    res.json({
      holder: req.principal!.name,
      roles: [...req.principal!.roles].sort(),
      links: { workflow: workflowUrl ?? null },
      // What a review of each kind may say: the page offers exactly these.
      kinds: Object.fromEntries(
        Object.entries(REVIEW_RULES_OF_KIND).map(([kind, rules]) => [
          kind,
          { decisions: rules.decisions, categories: rules.categories },
        ]),
      ),
    });
  });
  router.get('/dashboard', requireRole('auditor', 'ops'), async (req, res) => {
    const { range } = DashboardQuery.parse(req.query);
    const [figures, budget, alerts, mode] = await Promise.all([
      readDashboard(db, range),
      governor.budget(),
      governor.activeAlerts(),
      governor.get(),
    ]);
    res.json({ ...figures, budget: budget.budget, budgetWindows: budget.windows, alerts, mode });
  });
  return router;
}
