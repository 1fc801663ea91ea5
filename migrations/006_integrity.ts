import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

/** Frozen copy of `openKey` (src/campaigns/launch.ts) as of this migration: form, period and canonical population. */
function campaignKey(formId: string, period: string, population: unknown): string {
  const canonical = JSON.stringify(population, (_k, v: unknown) =>
    Array.isArray(v)
      ? [...v].sort()
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
        : v,
  );
  return `${formId}|${period}|${createHash('sha256').update(canonical).digest('hex').slice(0, 32)}`;
}

/*
 * Integrity: who filled a revision (separation of duties), one open campaign per form, year and scope, one quiz per
 * bank, title and day, the prize draw in its own table (one per quiz), the approval cards sent per step, and events
 * whose handler failed for replay.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('submission_revisions', (t) => {
    t.text('editors').nullable(); // JSON array of user ids who saved this revision
  });
  await knex.schema.alterTable('campaigns', (t) => {
    // form|period|population while the campaign is open, NULL once closed: a unique index allows many NULLs.
    t.string('open_key', 191).nullable();
    t.unique(['open_key']);
  });
  // Campaigns already open get their key, the newest of any duplicates the old launch made; older twins stay unkeyed.
  const open: { id: number; form_id: string; period: string; population: string }[] = await knex('campaigns')
    .where({ status: 'open' })
    .orderBy('id', 'desc')
    .select('id', 'form_id', 'period', 'population');
  const keyed = new Set<string>();
  for (const c of open) {
    const key = campaignKey(c.form_id, String(c.period), JSON.parse(c.population));
    if (keyed.has(key)) continue;
    keyed.add(key);
    await knex('campaigns').where({ id: c.id }).update({ open_key: key });
  }
  await knex.schema.alterTable('quizzes', (t) => {
    // bank|title|Beijing date: a double click on 发布 (or the same quiz published twice a day) makes one quiz.
    t.string('publish_key', 191).nullable();
    t.unique(['publish_key']);
  });
  await knex.schema.createTable('quiz_draws', (t) => {
    t.integer('quiz_id').unsigned().primary().references('id').inTable('quizzes');
    t.bigInteger('seed').notNullable();
    t.text('winners').notNullable(); // JSON array of user ids, in prize order
    t.integer('drawn_by').unsigned().nullable().references('id').inTable('users');
    t.bigInteger('drawn_at').notNullable();
  });
  // Every approval card sent, by step: the cards to update when that step is decided (was found by outbox.ref LIKE).
  await knex.schema.createTable('approval_cards', (t) => {
    t.increments('id');
    t.integer('instance_id').unsigned().notNullable().references('id').inTable('approval_instances');
    t.integer('step').notNullable();
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users');
    t.string('ref', 64).notNullable().unique();
    t.index(['instance_id', 'step']);
  });
  // Cards sent before this table existed were known only by their outbox ref `appr:<instance>:<step>:<user>`.
  const refs: string[] = await knex('outbox')
    .where('ref', 'like', 'appr:%')
    .where({ kind: 'send' })
    .distinct('ref')
    .pluck('ref');
  const rows = refs.flatMap((ref) => {
    const [, instanceId, step, userId] = ref.split(':').map(Number);
    const ok = [instanceId, step, userId].every((n) => Number.isInteger(n)) && ref.split(':').length === 4;
    return ok ? [{ instance_id: instanceId, step, user_id: userId, ref }] : [];
  });
  for (let i = 0; i < rows.length; i += 200) await knex('approval_cards').insert(rows.slice(i, i + 200));
  await knex.schema.createTable('failed_events', (t) => {
    t.increments('id');
    t.string('event_id', 128).notNullable().unique();
    t.string('kind', 16).notNullable();
    t.string('open_id', 64).nullable();
    t.text('event', 'mediumtext').notNullable(); // JSON BotEvent, as normalised
    t.text('error').notNullable();
    t.string('reference', 16).notNullable();
    t.integer('attempts').notNullable().defaultTo(1);
    t.string('status', 12).notNullable(); // failed | replayed
    t.bigInteger('first_failed_at').notNullable();
    t.bigInteger('last_failed_at').notNullable();
    t.bigInteger('replayed_at').nullable();
    t.index(['status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('failed_events');
  await knex.schema.dropTableIfExists('approval_cards');
  await knex.schema.dropTableIfExists('quiz_draws');
  await knex.schema.alterTable('quizzes', (t) => {
    t.dropUnique(['publish_key']);
    t.dropColumn('publish_key');
  });
  await knex.schema.alterTable('campaigns', (t) => {
    t.dropUnique(['open_key']);
    t.dropColumn('open_key');
  });
  await knex.schema.alterTable('submission_revisions', (t) => {
    t.dropColumn('editors');
  });
}
