// The case row stops being ticket-shaped: the agent's proposal is the kind's own JSON (`details`),
// and the proposal's category is named as such, apart from the final one on the decision.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('cases', (table) => {
    table.renameColumn('classification', 'details');
    table.renameColumn('category', 'suggested_category');
  });
  // A ticket's intent is part of its classification, which `details` keeps whole.
  await db.schema.alterTable('cases', (table) => {
    table.dropColumn('intent');
    table.index(['kind', 'status', 'created_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('cases', (table) => {
    table.dropIndex(['kind', 'status', 'created_at']);
    table.string('intent', 100);
  });
  await db.raw(`UPDATE cases SET intent = details->>'intent' WHERE kind = 'ticket'`);
  await db.schema.alterTable('cases', (table) => {
    table.renameColumn('details', 'classification');
    table.renameColumn('suggested_category', 'category');
  });
}
