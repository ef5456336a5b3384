// What became of the agent's proposals: each finding (a review, an audit, a downstream team's
// feedback) is one row, with what the agent proposed and under which model, route and mode. The
// error budget is counted from these rows.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('outcomes', (table) => {
    table.bigIncrements('id');
    table.string('case_id', 200).notNullable().references('cases.case_id');
    table.string('kind', 20).notNullable();
    /** review | audit | feedback */
    table.string('source', 20).notNullable();
    /** Who found it: the reviewer, or the team or system that sent the feedback. */
    table.string('found_by', 200).notNullable();
    /** right | wrong: whether the agent's proposal (for feedback: the case's final category) held. */
    table.string('verdict', 10).notNullable();
    table.string('predicted_category', 40).notNullable();
    table.string('actual_category', 40);
    table.double('confidence').notNullable();
    table.string('route', 20).notNullable();
    table.string('mode', 20).notNullable();
    table.text('model_version').notNullable();
    table.text('comment');
    table.timestamp('at', { useTz: true }).notNullable();
    // One finding per case, source and finder: a retried write or a repeated feedback adds nothing.
    table.unique(['case_id', 'source', 'found_by']);
    table.index(['at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('outcomes');
}
