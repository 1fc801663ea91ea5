import type { Knex } from 'knex';

/*
 * When a revision was approved. An approved target is the contract the monitoring and the self-evaluation measure
 * against; once a target can be adjusted, the submission's newest revision may be under approval while the one before
 * it still holds, so "approved" belongs to the revision, not only to the submission. Existing approved submissions
 * get their current revision stamped with the submission's last change.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('submission_revisions', (t) => {
    t.bigInteger('approved_at').nullable();
  });
  await knex('submission_revisions as r')
    .whereExists((q) =>
      q
        .select(knex.raw('1'))
        .from('submissions as s')
        .whereRaw('s.id = r.submission_id')
        .whereRaw('s.current_revision = r.revision')
        .where('s.status', 'approved'),
    )
    .update({
      approved_at: knex('submissions as s').select('s.updated_at').whereRaw('s.id = r.submission_id'),
    });
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE submission_revisions DROP COLUMN approved_at');
}
