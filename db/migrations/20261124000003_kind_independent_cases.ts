// The case row stops being ticket-shaped: the agent's proposal is the kind's own JSON (`details`),
// and the proposal's category is named as such, apart from the final one on the decision.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('cases', (t) => {
    t.renameColumn('classification', 'details');
    t.renameColumn('category', 'suggested_category');
  });
  // A ticket's intent is part of its classification, which `details` keeps whole.
  await db.schema.alterTable('cases', (t) => {
    t.dropColumn('intent');
    t.index(['kind', 'status', 'created_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('cases', (t) => {
    t.dropIndex(['kind', 'status', 'created_at']);
    t.string('intent', 100);
  });
  await db.raw(`UPDATE cases SET intent = details->>'intent' WHERE kind = 'ticket'`);
  await db.schema.alterTable('cases', (t) => {
    t.renameColumn('details', 'classification');
    t.renameColumn('suggested_category', 'category');
  });
}
