// Migrations are listed here rather than discovered on disk, so they load the same way under
// tsx, vitest and a compiled build. Never edit a migration that has landed: add a new one.
import type { Knex } from 'knex';
import * as m20261124000001 from './20261124000001_cases';
import * as m20261124000002 from './20261124000002_mode_changes';
import * as m20261124000003 from './20261124000003_kind_independent_cases';
import * as m20261124000004 from './20261124000004_case_problems';
import * as m20261124000005 from './20261124000005_review_attempt_channel';
import * as m20261124000006 from './20261124000006_outcomes';
import * as m20261124000007 from './20261124000007_mode_change_evidence';
import * as m20261124000008 from './20261124000008_alerts';
import * as m20261124000009 from './20261124000009_scoped_modes';
import * as m20261124000010 from './20261124000010_reference_data';
import * as m20261125000011 from './20261125000011_invoices';
import * as m20261125000012 from './20261125000012_dashboard_indexes';

interface Migration {
  up(db: Knex): Promise<void>;
  down(db: Knex): Promise<void>;
}

const MIGRATIONS: Record<string, Migration> = {
  '20261124000001_cases': m20261124000001,
  '20261124000002_mode_changes': m20261124000002,
  '20261124000003_kind_independent_cases': m20261124000003,
  '20261124000004_case_problems': m20261124000004,
  '20261124000005_review_attempt_channel': m20261124000005,
  '20261124000006_outcomes': m20261124000006,
  '20261124000007_mode_change_evidence': m20261124000007,
  '20261124000008_alerts': m20261124000008,
  '20261124000009_scoped_modes': m20261124000009,
  '20261124000010_reference_data': m20261124000010,
  '20261125000011_invoices': m20261125000011,
  '20261125000012_dashboard_indexes': m20261125000012,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(MIGRATIONS).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => MIGRATIONS[name],
};
