// If Temporal loses a case's workflow while PostgreSQL keeps the case, the database is the second
// guard of the business key: a repeated POST does not start the case again, and a review says
// plainly that the workflow is missing.
import { WorkflowNotFoundError } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually';
import { KEYS, startTestStack, type TestStack } from './support/stack';
import { ticket } from './support/tickets';

let s: TestStack;

beforeAll(async () => {
  s = await startTestStack(__filename);
});
afterAll(() => s?.stop());

/** What losing Temporal's state looks like to one case: its workflow is gone. */
async function loseWorkflow(caseId: string): Promise<void> {
  await s.deps.client.workflowService.deleteWorkflowExecution({
    namespace: s.config.temporal.namespace,
    workflowExecution: { workflowId: caseId },
  });
  await eventually(
    () =>
      s.deps.client.workflow
        .getHandle(caseId)
        .describe()
        .then(
          () => 'still there',
          (err: unknown) => err,
        ),
    (outcome) => outcome instanceof WorkflowNotFoundError,
    `${caseId} deleted`,
  );
}

describe('a case PostgreSQL knows and Temporal has lost', () => {
  it('is not started a second time by a repeated POST: 409 that says what is wrong', async () => {
    const sent = ticket('assisted');
    const first = await s.http('POST', '/v1/tickets', { body: sent });
    const caseId = first.body.caseId as string;
    await s.waitForCase(caseId, (state) => state.status === 'awaiting_review', 'awaiting review');
    const { run_id: firstRun } = await s.deps.db('cases').where({ case_id: caseId }).first();
    await loseWorkflow(caseId);

    const again = await s.http('POST', '/v1/tickets', { body: sent });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'case_without_workflow' });
    expect(again.body.error.message).toMatch(/recorded in PostgreSQL .* Temporal has no workflow/);
    // The run the POST started was stopped again; the row still names the first run.
    const restarted = await s.deps.client.workflow.getHandle(caseId).describe();
    expect(restarted.status.name).toBe('TERMINATED');
    expect(restarted.runId).not.toBe(firstRun);
    const rows = await s.deps.db('cases').where({ external_id: sent.externalId });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'awaiting_review', run_id: firstRun });
  });

  it('a review of a waiting case whose workflow is gone is refused with a message that says so', async () => {
    const first = await s.http('POST', '/v1/tickets', { body: ticket('assisted') });
    const caseId = first.body.caseId as string;
    await s.waitForCase(caseId, (state) => state.status === 'awaiting_review', 'awaiting review');
    await loseWorkflow(caseId);
    const res = await s.http('POST', `/v1/cases/${caseId}/review`, {
      key: KEYS.reviewer,
      body: { decision: 'approve' },
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'workflow_missing' });
    expect(res.body.error.message).toMatch(/awaiting_review in PostgreSQL, but Temporal has no running workflow/);
    expect(await s.deps.db('review_attempts').where({ case_id: caseId, refusal: 'workflow_missing' })).toHaveLength(1);
  });
});
