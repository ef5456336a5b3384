// A case that could not be recorded as it was says why (`problem`), and a model version, which is
// configuration (an LLM's name), gets no length limit that a write could trip over.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('cases', (table) => {
    table.text('problem');
    table.text('model_version').alter();
  });
  await db.schema.alterTable('decisions', (table) => {
    table.text('model_version').notNullable().alter();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('decisions', (table) => {
    table.string('model_version', 100).notNullable().alter();
  });
  await db.schema.alterTable('cases', (table) => {
    table.string('model_version', 100).alter();
    table.dropColumn('problem');
  });
}
