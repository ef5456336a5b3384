// Use cases for the system's mode: read it, and change it by hand through the governor.
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from 'knex';
import { listModeChanges } from '../../db/mode-changes';
import { countFindings } from '../../db/outcomes';
import { windowFigures, type WindowFigures } from '../../domain/error-budget';
import type { ModeChangeRequest, ModeState } from '../../domain/case';
import { MODE_CHANGE_REFUSED } from '../../domain/failures';
import { GOVERNOR_WORKFLOW_ID, getModeQuery, setModeUpdate } from '../../workflows/messages';
import { ApiError } from '../errors';

/** The windows the error budget is shown over: a fast one and the hour the budget is set for. */
const BUDGET_WINDOWS = [
  { name: '5m', ms: 5 * 60_000 },
  { name: '1h', ms: 60 * 60_000 },
];

export class GovernorService {
  constructor(
    private readonly client: Client,
    private readonly db: Knex,
    /** The share of evaluated proposals that may be wrong per window (e.g. 0.02). */
    private readonly errorBudget = 0.02,
  ) {}

  /** Evaluated proposals, errors, rate, its Wilson lower bound and budget left, per window. */
  async budget(): Promise<{ budget: number; windows: WindowFigures[] }> {
    const now = Date.now();
    const windows = await Promise.all(
      BUDGET_WINDOWS.map(async ({ name, ms }) => {
        const { evaluated, errors } = await countFindings(this.db, new Date(now - ms));
        return windowFigures(name, evaluated, errors, this.errorBudget);
      }),
    );
    return { budget: this.errorBudget, windows };
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
