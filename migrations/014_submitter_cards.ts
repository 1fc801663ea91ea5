import type { Knex } from 'knex';

/*
 * The submitter's one card per submission: the message it is in, updated in place at every step of the chain.
 * 催办: one urge per step and day, so a double click or a second click the same day buzzes nobody twice.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('approval_instances', (t) => {
    t.string('submitter_message_id', 64).nullable();
  });
  await knex.schema.createTable('approval_urges', (t) => {
    t.increments('id');
    t.integer('instance_id').unsigned().notNullable().references('id').inTable('approval_instances');
    t.integer('step').notNullable();
    t.string('day', 10).notNullable();
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users');
    t.bigInteger('at').notNullable();
    t.unique(['instance_id', 'step', 'day']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('approval_urges');
  await knex.schema.alterTable('approval_instances', (t) => {
    t.dropColumn('submitter_message_id');
  });
}
