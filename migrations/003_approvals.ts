import type { Knex } from 'knex';

/*
 * Approvals. One instance per submitted revision; its state (steps, approvers, decisions) is a JSON document
 * updated with optimistic concurrency (`version`). Tasks mirror who must act now, for lists, reminders and
 * updating every approver's card. Delegations let an approver hand decisions to a colleague for a date range.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('approval_instances', (t) => {
    t.increments('id');
    t.integer('submission_id').unsigned().notNullable().references('id').inTable('submissions');
    t.integer('revision').notNullable();
    t.string('status', 16).notNullable(); // pending | approved | rejected | returned | withdrawn
    t.text('state', 'mediumtext').notNullable();
    t.integer('version').notNullable().defaultTo(0);
    t.integer('submitter_id').unsigned().notNullable().references('id').inTable('users');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.unique(['submission_id', 'revision']);
    t.index(['status']);
  });

  await knex.schema.createTable('approval_tasks', (t) => {
    t.increments('id');
    t.integer('instance_id').unsigned().notNullable().references('id').inTable('approval_instances');
    t.integer('step').notNullable();
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users');
    t.string('status', 12).notNullable(); // pending | done | cancelled
    t.bigInteger('created_at').notNullable();
    t.bigInteger('closed_at').nullable();
    t.unique(['instance_id', 'step', 'user_id']);
    t.index(['user_id', 'status']);
  });

  await knex.schema.createTable('delegations', (t) => {
    t.increments('id');
    t.integer('from_user_id').unsigned().notNullable().references('id').inTable('users');
    t.integer('to_user_id').unsigned().notNullable().references('id').inTable('users');
    t.string('start_date', 10).notNullable(); // YYYY-MM-DD, Beijing time, inclusive
    t.string('end_date', 10).notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('cancelled_at').nullable();
    t.index(['from_user_id']);
    t.index(['to_user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('delegations');
  await knex.schema.dropTableIfExists('approval_tasks');
  await knex.schema.dropTableIfExists('approval_instances');
}
