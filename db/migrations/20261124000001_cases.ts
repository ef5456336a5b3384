// Cases, their decisions, and review attempts the workflow refused (a rejected Update leaves
// no history event, so the refusal is kept here for the audit trail).
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('cases', (t) => {
    t.string('case_id', 200).primary();
    t.string('kind', 20).notNullable();
    t.string('external_id', 200).notNullable();
    t.string('workflow_id', 200).notNullable();
    t.string('run_id', 100);
    t.string('status', 20).notNullable();
    t.string('route', 20);
    t.string('route_reason', 40);
    t.string('mode', 20).notNullable();
    t.string('intent', 100);
    t.string('category', 40);
    t.double('confidence');
    t.boolean('suggestion_visible').notNullable().defaultTo(true);
    t.boolean('escalated').notNullable().defaultTo(false);
    t.string('model_version', 100);
    t.jsonb('classification');
    t.jsonb('thresholds');
    t.jsonb('input').notNullable();
    t.string('outcome', 20);
    t.string('final_category', 40);
    t.string('reviewer', 200);
    t.integer('version').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.timestamp('decided_at', { useTz: true });
    t.unique(['kind', 'external_id']);
    t.index(['status', 'created_at']);
  });
  await db.schema.createTable('decisions', (t) => {
    // One decision per case: the primary key is what makes a retried write a no-op.
    t.string('case_id', 200).primary().references('cases.case_id');
    t.string('outcome', 20).notNullable();
    t.string('final_category', 40);
    t.string('route', 20).notNullable();
    t.string('route_reason', 40).notNullable();
    t.string('mode', 20).notNullable();
    t.string('model_version', 100).notNullable();
    t.double('confidence').notNullable();
    t.jsonb('thresholds').notNullable();
    t.string('reviewer', 200);
    t.text('comment');
    t.boolean('escalated').notNullable();
    t.jsonb('record').notNullable();
    t.timestamp('decided_at', { useTz: true }).notNullable();
  });
  await db.schema.createTable('review_attempts', (t) => {
    t.bigIncrements('id');
    t.string('case_id', 200).notNullable().index();
    t.string('reviewer', 200);
    t.string('decision', 20);
    t.string('refusal', 40).notNullable();
    t.text('message').notNullable();
    t.jsonb('payload').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('review_attempts');
  await db.schema.dropTable('decisions');
  await db.schema.dropTable('cases');
}
