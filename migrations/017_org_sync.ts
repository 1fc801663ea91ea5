import type { Knex } from 'knex';

/*
 * Org sync from Lark's contacts. `synced_at` marks the people sync manages: only they can be found to have left
 * (someone imported from a file and never seen in Lark, e.g. a third-party evaluator, is left alone). `left_at` keeps
 * a leaver's records with the date they left. A role's `source` says who gave it: a file import (`import`), an admin
 * on the 管理员 card (`admin`) or sync from a department leader (`sync`); each replaces only its own.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.bigInteger('synced_at').nullable();
    t.bigInteger('left_at').nullable();
  });
  await knex.schema.alterTable('role_assignments', (t) => {
    t.string('source', 8).notNullable().defaultTo('import');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('role_assignments', (t) => t.dropColumn('source'));
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('left_at');
    t.dropColumn('synced_at');
  });
}
