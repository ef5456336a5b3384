// Use cases for the system's mode: read it, and change it by hand through the governor.
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from 'knex';
import { listAlerts } from '../../db/alerts';
import { listModeChanges } from '../../db/mode-changes';
import { budgetFigures } from '../../db/outcomes';
import type { BudgetWindows } from '../../domain/budget-policy';
import type { EarlyWarning } from '../../domain/early-warnings';
import type { WindowFigures } from '../../domain/error-budget';
import type { ModeChangeRequest, ModeState } from '../../domain/case';
import { MODE_CHANGE_REFUSED } from '../../domain/failures';
import { GOVERNOR_WORKFLOW_ID, getBudgetQuery, getModeQuery, setModeUpdate } from '../../workflows/messages';
import { ApiError } from '../errors';

export class GovernorService {
  constructor(
    private readonly client: Client,
    private readonly db: Knex,
    /** The windows the budget is counted over and its share, as the governor steers by them. */
    private readonly windows: BudgetWindows = { fastWindowMs: 5 * 60_000, slowWindowMs: 60 * 60_000, budget: 0.02 },
  ) {}

  /**
   * Evaluated proposals, errors, rate, its Wilson lower bound and budget left, per window,
   * globally and per predicted category.
   */
  async budget(): Promise<{ budget: number; windows: WindowFigures[]; categories: Record<string, WindowFigures[]> }> {
    const { fast, slow, categories = {} } = await budgetFigures(this.db, this.windows);
    return {
      budget: this.windows.budget,
      windows: [fast, slow],
      categories: Object.fromEntries(Object.entries(categories).map(([c, own]) => [c, [own.fast, own.slow]])),
    };
  }

  /** The early warnings of the governor's last evaluation (none when it does not steer). */
  async warnings(): Promise<EarlyWarning[]> {
    const evaluation = await this.handle().query(getBudgetQuery);
    return evaluation?.warnings ?? [];
  }

  /** Alerts raised within the budget's slow window: what operators should be looking at now. */
  activeAlerts() {
    return listAlerts(this.db, 50, new Date(Date.now() - this.windows.slowWindowMs));
  }

  /** Alerts raised for operators, newest first. */
  alerts(limit: number) {
    return listAlerts(this.db, limit);
  }

  /** The recorded history of mode changes, newest first. */
  changes(limit: number) {
    return listModeChanges(this.db, limit);
  }

  private handle() {
    return this.client.workflow.getHandle(GOVERNOR_WORKFLOW_ID);
  }

  get(): Promise<ModeState> {
    return this.handle().query(getModeQuery);
  }

  async setMode(request: ModeChangeRequest): Promise<ModeState> {
    try {
      return await this.handle().executeUpdate(setModeUpdate, { args: [request] });
    } catch (err) {
      if (
        err instanceof WorkflowUpdateFailedError &&
        err.cause instanceof ApplicationFailure &&
        err.cause.type === MODE_CHANGE_REFUSED
      ) {
        throw new ApiError(409, MODE_CHANGE_REFUSED, err.cause.message);
      }
      throw err;
    }
  }
}
