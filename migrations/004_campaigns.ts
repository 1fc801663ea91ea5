import type { Knex } from 'knex';

/*
 * Filing campaigns (填报任务): a form, a population and a deadline; one task per department or project.
 * A task's state is not stored: it is read from the submission for the same form, subject and period, so it can
 * never disagree with what was actually filed. scheduler_runs makes each daily run happen once across instances.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('campaigns', (t) => {
    t.increments('id');
    t.string('title', 100).notNullable();
    t.string('form_id', 40).notNullable();
    t.string('period', 16).notNullable();
    t.text('population').notNullable(); // JSON, see population.ts
    t.string('opens_on', 10).notNullable(); // YYYY-MM-DD, Beijing
    t.string('deadline', 10).notNullable();
    t.text('policy').notNullable(); // JSON reminder policy
    t.string('status', 12).notNullable(); // open | closed
    t.integer('created_by').unsigned().nullable().references('id').inTable('users');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });

  await knex.schema.createTable('campaign_tasks', (t) => {
    t.increments('id');
    t.integer('campaign_id').unsigned().notNullable().references('id').inTable('campaigns');
    t.string('subject_type', 16).notNullable();
    t.integer('subject_id').unsigned().notNullable();
    t.integer('department_id').unsigned().notNullable().references('id').inTable('departments');
    t.bigInteger('created_at').notNullable();
    t.unique(['campaign_id', 'subject_type', 'subject_id']);
    t.index(['department_id']);
  });

  await knex.schema.createTable('scheduler_runs', (t) => {
    t.string('key', 100).primary(); // e.g. reminders:2026-12-01
    t.string('instance', 64).notNullable();
    t.bigInteger('at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('scheduler_runs');
  await knex.schema.dropTableIfExists('campaign_tasks');
  await knex.schema.dropTableIfExists('campaigns');
}
