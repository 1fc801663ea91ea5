import type { Knex } from 'knex';

/*
 * departments.lark_chat_id was created for unit group chats and never used: nothing reads or writes it. Dropped so
 * the schema says only what the product does. A plain ALTER (SQLite ≥ 3.35 and MySQL both have DROP COLUMN): knex's
 * SQLite fallback would copy the table, which the foreign keys onto departments do not allow.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE departments DROP COLUMN lark_chat_id');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('departments', (t) => {
    t.string('lark_chat_id', 64).nullable();
  });
}
