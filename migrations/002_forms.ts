import type { Knex } from 'knex';

/*
 * Form submissions. A submission is one form filled for one subject (a project or a department) in one period;
 * its revisions are kept forever. Only the latest revision may be a draft; a submitted revision never changes.
 * form_versions keeps each form definition that work was started on, so a changed file never alters work in flight.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('form_versions', (t) => {
    t.increments('id');
    t.string('form_id', 40).notNullable();
    t.integer('version').notNullable();
    t.string('hash', 16).notNullable();
    t.text('definition', 'mediumtext').notNullable();
    t.bigInteger('created_at').notNullable();
    t.unique(['form_id', 'version']);
  });

  await knex.schema.createTable('submissions', (t) => {
    t.increments('id');
    t.string('form_id', 40).notNullable();
    t.string('subject_type', 16).notNullable(); // project | department
    t.integer('subject_id').unsigned().notNullable();
    t.string('period', 16).notNullable(); // the budget year, e.g. 2026
    t.string('status', 16).notNullable(); // draft | submitted (later: in_approval | returned | approved | rejected)
    t.integer('current_revision').notNullable();
    t.integer('department_id').unsigned().notNullable().references('id').inTable('departments');
    t.integer('created_by').unsigned().notNullable().references('id').inTable('users');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.unique(['form_id', 'subject_type', 'subject_id', 'period']);
    t.index(['department_id', 'status']);
  });

  await knex.schema.createTable('submission_revisions', (t) => {
    t.increments('id');
    t.integer('submission_id').unsigned().notNullable().references('id').inTable('submissions').onDelete('CASCADE');
    t.integer('revision').notNullable();
    t.integer('form_version').notNullable();
    t.string('status', 16).notNullable(); // draft | submitted
    t.text('data', 'mediumtext').notNullable();
    t.integer('page').notNullable().defaultTo(0);
    /** Bumped on every save: a click from an older card state is recognised and refreshed instead of overwriting. */
    t.integer('seq').notNullable().defaultTo(0);
    t.integer('updated_by').unsigned().nullable().references('id').inTable('users');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.bigInteger('submitted_at').nullable();
    t.integer('submitted_by').unsigned().nullable().references('id').inTable('users');
    t.unique(['submission_id', 'revision']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('submission_revisions');
  await knex.schema.dropTableIfExists('submissions');
  await knex.schema.dropTableIfExists('form_versions');
}
