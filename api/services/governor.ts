// Use cases for the system's mode: read it, and change it by hand through the governor.
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from 'knex';
import { listModeChanges } from '../../db/mode-changes';
import type { ModeChangeRequest, ModeState } from '../../domain/case';
import { MODE_CHANGE_REFUSED } from '../../domain/failures';
import { GOVERNOR_WORKFLOW_ID, getModeQuery, setModeUpdate } from '../../workflows/messages';
import { ApiError } from '../errors';

export class GovernorService {
  constructor(
    private readonly client: Client,
    private readonly db: Knex,
  ) {}

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
