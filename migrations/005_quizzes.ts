import type { Knex } from 'knex';

/*
 * Training quizzes. A quiz draws a paper per recipient (questions and option order, reproducible from its seed);
 * attempts record answers, score and time. The server's clock decides the time limit and the opening window.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('quizzes', (t) => {
    t.increments('id');
    t.string('bank_id', 40).notNullable();
    t.string('title', 60).notNullable();
    t.integer('question_count').notNullable();
    t.integer('time_limit_s').notNullable();
    t.integer('attempts_allowed').notNullable().defaultTo(1);
    t.bigInteger('opens_at').notNullable();
    t.bigInteger('closes_at').notNullable();
    t.text('audience').notNullable(); // JSON
    t.text('prize').notNullable(); // JSON {kind: top|draw, n}
    t.bigInteger('seed').notNullable();
    t.integer('created_by').unsigned().nullable().references('id').inTable('users');
    t.bigInteger('created_at').notNullable();
  });

  await knex.schema.createTable('quiz_recipients', (t) => {
    t.increments('id');
    t.integer('quiz_id').unsigned().notNullable().references('id').inTable('quizzes');
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users');
    t.text('paper').notNullable(); // JSON Paper
    t.unique(['quiz_id', 'user_id']);
  });

  await knex.schema.createTable('quiz_attempts', (t) => {
    t.increments('id');
    t.integer('quiz_id').unsigned().notNullable().references('id').inTable('quizzes');
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users');
    t.integer('attempt_no').notNullable();
    t.bigInteger('started_at').notNullable();
    t.bigInteger('submitted_at').nullable();
    t.string('status', 12).notNullable(); // started | submitted | late
    t.text('answers').nullable(); // JSON: per question, chosen option indexes in bank order and whether right
    t.decimal('score', 5, 1).nullable();
    t.integer('duration_ms').nullable();
    t.unique(['quiz_id', 'user_id', 'attempt_no']);
    t.index(['quiz_id', 'status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('quiz_attempts');
  await knex.schema.dropTableIfExists('quiz_recipients');
  await knex.schema.dropTableIfExists('quizzes');
}
