// Refused reviews come through the API (an Update the API refused, the reviewer is the key's holder)
// or as a Web UI signal the workflow refused (the reviewer is only as declared): `via` says which.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('review_attempts', (table) => {
    table.string('via', 10).notNullable().defaultTo('api');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('review_attempts', (table) => {
    table.dropColumn('via');
  });
}
