// The dashboards read decisions by time: recent ones, and per time bucket over a range.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('decisions', (table) => {
    table.index(['decided_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('decisions', (table) => {
    table.dropIndex(['decided_at']);
  });
}
