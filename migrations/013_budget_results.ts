import type { Knex } from 'knex';

/*
 * 结果应用: the bureau's confirmed budget action for a project after its year's evaluation — what was suggested (the
 * grade, its source, the rule's action) and what the bureau decided, by whom, with the reason for an override.
 * 评优: the bureau's rating of a third party's evaluation report (a submission), published once rated.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('budget_results', (t) => {
    t.increments('id');
    t.integer('project_id').unsigned().notNullable().references('id').inTable('projects');
    t.string('period', 16).notNullable();
    t.string('grade', 4).nullable();
    t.decimal('score', 8, 2).nullable();
    t.string('source', 20).nullable();
    t.string('suggested', 20).notNullable();
    t.string('action', 20).notNullable();
    t.decimal('cut_percent', 5, 2).nullable();
    t.string('reason', 200).nullable();
    t.integer('confirmed_by').unsigned().nullable().references('id').inTable('users');
    t.bigInteger('confirmed_at').notNullable();
    t.unique(['project_id', 'period']);
  });

  await knex.schema.createTable('report_ratings', (t) => {
    t.increments('id');
    t.integer('submission_id').unsigned().notNullable().unique().references('id').inTable('submissions');
    t.string('rating', 8).notNullable(); // 优秀 | 良好 | 合格 | 不合格
    t.string('comment', 300).nullable();
    t.integer('rated_by').unsigned().nullable().references('id').inTable('users');
    t.bigInteger('rated_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('report_ratings');
  await knex.schema.dropTableIfExists('budget_results');
}
