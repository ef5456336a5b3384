// Every change of the system's autonomy mode, as broadcast by the governor.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('mode_changes', (t) => {
    // The governor's sequence number: a re-run broadcast activity inserts nothing new.
    t.bigInteger('seq').primary();
    t.string('mode', 20).notNullable();
    t.string('previous_mode', 20).notNullable();
    t.text('reason').notNullable();
    t.string('operator', 200).notNullable();
    t.timestamp('changed_at', { useTz: true }).notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('mode_changes');
}
