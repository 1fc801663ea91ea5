import type { Knex } from 'knex';

/*
 * One counter that grows with every write to people, departments or roles. Each instance keeps the senders of
 * events in memory and reads this counter (at most once a second) to learn that another process changed the
 * organisation.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('org_version', (t) => {
    t.integer('id').primary();
    t.bigInteger('version').notNullable();
  });
  await knex('org_version').insert({ id: 1, version: 0 });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('org_version');
}
