import type { Knex } from 'knex';

/*
 * 双监控 follow-up. A campaign may fix the date its reports are as of (7月31日 by default in the form). Each submitted
 * report that declares a follow-up (forms: follow_up) gets one row: its light and corrective choice, whom it warned
 * (once per light), whether the unit confirmed the corrective action, and when a red project was flagged
 * 建议暂缓拨款 for an action not taken N working days after its deadline.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('campaigns', (t) => {
    t.string('as_of', 10).nullable(); // YYYY-MM-DD: the date the reports of this campaign are as of
  });
  await knex.schema.createTable('monitoring_follow_ups', (t) => {
    t.increments('id');
    t.integer('submission_id').unsigned().notNullable().references('id').inTable('submissions').onDelete('CASCADE');
    t.integer('revision').notNullable(); // the submitted revision the row was taken from
    t.string('form_id', 40).notNullable();
    t.string('period', 16).notNullable();
    t.integer('project_id').unsigned().notNullable();
    t.integer('department_id').unsigned().notNullable().references('id').inTable('departments');
    t.string('as_of', 10).nullable();
    t.string('light', 8).nullable();
    t.string('action', 20).nullable(); // 继续实施 / 调整预算 / 调整目标 / 暂缓实施 / 停止实施
    t.string('deadline', 10).nullable();
    t.string('status', 12).notNullable(); // none (no action needed) | open | done
    t.string('warned_light', 8).nullable(); // the light last warned about: a worse light warns again
    t.bigInteger('done_at').nullable();
    t.integer('done_by').unsigned().nullable().references('id').inTable('users');
    t.bigInteger('flagged_at').nullable(); // 建议暂缓拨款, escalated to the bureau
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.unique(['submission_id']);
    t.index(['status', 'deadline']);
    t.index(['department_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('monitoring_follow_ups');
  await knex.raw('ALTER TABLE campaigns DROP COLUMN as_of');
}
