// A mode can hold for one scope (a category, a kind) while the rest runs normally: each change
// names the scope it applied to and keeps the whole picture after it, so the newest row alone
// says which modes hold. Early warnings read proposals by arrival time, hence the index. A case
// keeps the critical rule it matched.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('mode_changes', (table) => {
    table.string('scope', 120).notNullable().defaultTo('global');
    table.jsonb('scopes').notNullable().defaultTo('{}');
  });
  await db.schema.alterTable('cases', (table) => {
    table.index(['created_at']);
    // The critical rule a case matched (rules version, rule, team), beside the model's proposal.
    table.jsonb('critical');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('cases', (table) => {
    table.dropIndex(['created_at']);
    table.dropColumn('critical');
  });
  await db.schema.alterTable('mode_changes', (table) => {
    table.dropColumn('scopes');
    table.dropColumn('scope');
  });
}
