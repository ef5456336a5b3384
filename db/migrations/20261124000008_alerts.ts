// Alerts: what operators must hear of (an automatic mode change, a case parked because PostgreSQL
// refused its data), readable at GET /v1/governor/alerts and delivered to ALERT_WEBHOOK_URL.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('alerts', (table) => {
    table.bigIncrements('id');
    /** What raised it, once: `mode:<seq>`, `parked:<case id>`. */
    table.string('key', 240).notNullable().unique();
    table.string('kind', 40).notNullable();
    table.string('severity', 20).notNullable();
    table.text('message').notNullable();
    table.jsonb('evidence');
    table.string('case_id', 200);
    table.timestamp('at', { useTz: true }).notNullable();
    table.timestamp('delivered_at', { useTz: true });
    table.integer('attempts').notNullable().defaultTo(0);
    table.timestamp('next_attempt_at', { useTz: true });
    table.index(['delivered_at', 'next_attempt_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('alerts');
}
