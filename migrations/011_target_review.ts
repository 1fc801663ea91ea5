import type { Knex } from 'knex';

/*
 * 目标审核 (88号): the bureau's grade of a project's target (优 / 良 / 中 / 差) and what follows from it (proceed, fix
 * by agreement, revise and resubmit, blocked from budget arrangement), kept on the project when the review records it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('projects', (t) => {
    t.string('target_review_grade', 4).nullable();
    t.string('target_review_action', 40).nullable();
    t.bigInteger('target_review_at').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const c of ['target_review_grade', 'target_review_action', 'target_review_at'])
    await knex.raw(`ALTER TABLE projects DROP COLUMN ${c}`);
}
