// A mode change the error budget made carries its evidence: windows, counts, rates, the lower
// bound, the rule that fired and the policy. Changes made by hand have none.
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('mode_changes', (table) => {
    table.jsonb('evidence');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('mode_changes', (table) => {
    table.dropColumn('evidence');
  });
}
