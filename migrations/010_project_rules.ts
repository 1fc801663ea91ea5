import type { Knex } from 'knex';

/*
 * Project rules and the ex-ante gate. Each import records why a project has its tier (a tier rule, or the import file)
 * and which 事前绩效评估 trigger applies (null: none); the evaluation's conclusion, score and recommended amount are
 * written when it is approved. The ex-ante status (required, in progress, passed …) is derived from these and the
 * evaluation's submission, never stored, so it cannot drift.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('projects', (t) => {
    t.string('tier_source', 100).nullable();
    t.string('ex_ante_rule', 100).nullable();
    t.string('ex_ante_conclusion', 16).nullable(); // 予以支持 | 调整后支持 | 不予支持
    t.decimal('ex_ante_score', 6, 2).nullable();
    t.decimal('ex_ante_amount', 18, 2).nullable(); // yuan, the recommended amount
    t.bigInteger('ex_ante_at').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const c of [
    'tier_source',
    'ex_ante_rule',
    'ex_ante_conclusion',
    'ex_ante_score',
    'ex_ante_amount',
    'ex_ante_at',
  ])
    await knex.raw(`ALTER TABLE projects DROP COLUMN ${c}`);
}
