import type { Knex } from 'knex';

/*
 * Named leases shared by every instance on one database. `sender` elects the one instance that talks to Lark's
 * message API, so the per-app rate limit is kept by one limiter however many instances run. `epoch` grows each time
 * the lease changes hands: the new holder knows it took over and cleans up after the old one.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('leases', (t) => {
    t.string('name', 64).primary();
    t.string('holder', 128).notNullable();
    t.integer('epoch').notNullable();
    t.bigInteger('expires_at').notNullable();
  });
  // A sender taking over reads the last minute of sends to start its rate windows where the old one left them.
  await knex.schema.alterTable('outbox', (t) => t.index(['sent_at']));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => t.dropIndex(['sent_at']));
  await knex.schema.dropTableIfExists('leases');
}
