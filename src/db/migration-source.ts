import type { Knex } from 'knex';
import * as m001 from '../../migrations/001_foundation.ts';
import * as m002 from '../../migrations/002_forms.ts';
import * as m003 from '../../migrations/003_approvals.ts';
import * as m004 from '../../migrations/004_campaigns.ts';
import * as m005 from '../../migrations/005_quizzes.ts';
import * as m006 from '../../migrations/006_integrity.ts';
import * as m007 from '../../migrations/007_unused_columns.ts';
import * as m008 from '../../migrations/008_approved_revisions.ts';
import * as m009 from '../../migrations/009_monitoring.ts';
import * as m010 from '../../migrations/010_project_rules.ts';
import * as m011 from '../../migrations/011_target_review.ts';
import * as m012 from '../../migrations/012_sampling.ts';
import * as m013 from '../../migrations/013_budget_results.ts';
import * as m014 from '../../migrations/014_submitter_cards.ts';
import * as m015 from '../../migrations/015_uploads.ts';
import * as m016 from '../../migrations/016_leases.ts';
import * as m017 from '../../migrations/017_org_sync.ts';
import * as m018 from '../../migrations/018_org_version.ts';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Migrations are listed statically: knex's directory loader imports files by path, which fails for `.ts`
 * under vitest and would make the bundle depend on the working directory. Append new migrations here.
 */
const migrations: [string, Migration][] = [
  ['001_foundation', m001],
  ['002_forms', m002],
  ['003_approvals', m003],
  ['004_campaigns', m004],
  ['005_quizzes', m005],
  ['006_integrity', m006],
  ['007_unused_columns', m007],
  ['008_approved_revisions', m008],
  ['009_monitoring', m009],
  ['010_project_rules', m010],
  ['011_target_review', m011],
  ['012_sampling', m012],
  ['013_budget_results', m013],
  ['014_submitter_cards', m014],
  ['015_uploads', m015],
  ['016_leases', m016],
  ['017_org_sync', m017],
  ['018_org_version', m018],
];

export const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: async () => migrations.map(([, m]) => m),
  getMigrationName: (m) => migrations.find(([, x]) => x === m)![0],
  getMigration: async (m) => m,
};
