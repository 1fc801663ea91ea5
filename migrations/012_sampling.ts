import type { Knex } from 'knex';

/*
 * 抽评: a draw of self-evaluations from one campaign (its ratio, seed, strata and the rules that included or excluded
 * projects, so it can be reproduced and explained), the drawn projects with their reviewer and the outcome of the
 * re-scoring, and form_assignments: who fills an assigned form (复核, 重点评价) for which subject. A project's
 * previous_grade (上年评价等级) comes with the project import and feeds the mandatory-inclusion rules.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('projects', (t) => {
    t.string('previous_grade', 4).nullable();
  });

  await knex.schema.createTable('sampling_draws', (t) => {
    t.increments('id');
    t.integer('campaign_id').unsigned().notNullable().unique().references('id').inTable('campaigns');
    t.string('period', 16).notNullable();
    t.decimal('ratio', 6, 4).notNullable();
    t.bigInteger('seed').notNullable();
    t.integer('population').notNullable();
    t.integer('size').notNullable();
    t.text('detail', 'mediumtext').notNullable(); // JSON: strata, exclusions, rounding
    t.integer('drawn_by').unsigned().nullable().references('id').inTable('users');
    t.bigInteger('drawn_at').notNullable();
  });

  await knex.schema.createTable('sampling_items', (t) => {
    t.increments('id');
    t.integer('draw_id').unsigned().notNullable().references('id').inTable('sampling_draws').onDelete('CASCADE');
    t.integer('project_id').unsigned().notNullable().references('id').inTable('projects');
    t.integer('department_id').unsigned().notNullable().references('id').inTable('departments');
    t.string('stratum', 100).notNullable();
    t.string('reason', 100).nullable(); // the mandatory-inclusion rule; null when drawn at random
    t.integer('reviewer_id').unsigned().nullable().references('id').inTable('users');
    t.decimal('self_score', 8, 2).nullable();
    t.string('self_grade', 4).nullable();
    t.integer('review_submission_id').unsigned().nullable();
    t.decimal('review_score', 8, 2).nullable();
    t.string('review_grade', 4).nullable();
    t.boolean('rectify').nullable();
    t.bigInteger('reviewed_at').nullable();
    t.unique(['draw_id', 'project_id']);
    t.index(['project_id']);
  });

  await knex.schema.createTable('form_assignments', (t) => {
    t.increments('id');
    t.string('form_id', 40).notNullable();
    t.string('subject_type', 16).notNullable();
    t.integer('subject_id').unsigned().notNullable();
    t.string('period', 16).notNullable();
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users');
    t.string('source', 40).notNullable(); // e.g. sampling:3, cli
    t.integer('assigned_by').unsigned().nullable().references('id').inTable('users');
    t.bigInteger('assigned_at').notNullable();
    // One assignee per subject and year: a reassignment replaces the row.
    t.unique(['form_id', 'subject_type', 'subject_id', 'period'], { indexName: 'form_assignments_subject_unique' });
    t.index(['user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('form_assignments');
  await knex.schema.dropTableIfExists('sampling_items');
  await knex.schema.dropTableIfExists('sampling_draws');
  await knex.raw('ALTER TABLE projects DROP COLUMN previous_grade');
}
