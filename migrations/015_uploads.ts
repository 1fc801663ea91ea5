import type { Knex } from 'knex';

/*
 * Files people send the bot (佐证材料): one row per file message, fetched from Lark in the background and kept in the
 * file store by checksum. A redelivered message finds its row (unique message and file key) and adds nothing.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('uploads', (t) => {
    t.increments('id');
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users');
    t.integer('department_id').unsigned().notNullable().references('id').inTable('departments');
    t.string('lark_message_id', 64).notNullable();
    t.string('lark_file_key', 128).notNullable();
    t.string('kind', 8).notNullable(); // file | image
    t.string('name', 200).notNullable();
    // pending → stored | refused | failed
    t.string('status', 12).notNullable();
    t.string('reason', 200).nullable();
    t.bigInteger('size').nullable();
    t.string('sha256', 64).nullable();
    t.string('storage_key', 200).nullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.bigInteger('next_at').notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('stored_at').nullable();
    t.unique(['lark_message_id', 'lark_file_key']);
    t.index(['status', 'next_at']);
    t.index(['department_id', 'status']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('uploads');
}
