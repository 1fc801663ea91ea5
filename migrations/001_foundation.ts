import type { Knex } from 'knex';

/*
 * Foundation schema. Conventions: timestamps are epoch milliseconds in BIGINT columns (identical on SQLite and
 * MySQL, no time-zone conversion anywhere); JSON goes in TEXT columns and is (de)serialised by repositories,
 * because MySQL returns JSON columns parsed and SQLite returns strings.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('departments', (t) => {
    t.increments('id');
    t.string('code', 64).notNullable().unique();
    t.string('name', 200).notNullable();
    t.string('kind', 16).notNullable(); // bureau | supervising | unit
    t.integer('parent_id').unsigned().nullable().references('id').inTable('departments');
    t.string('lark_chat_id', 64).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['parent_id']);
  });

  await knex.schema.createTable('users', (t) => {
    t.increments('id');
    t.string('open_id', 64).nullable().unique();
    t.string('name', 100).notNullable();
    t.integer('department_id').unsigned().notNullable().references('id').inTable('departments');
    t.string('mobile', 32).nullable().unique();
    t.string('email', 200).nullable().unique();
    t.boolean('active').notNullable().defaultTo(true);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['department_id']);
  });

  await knex.schema.createTable('role_assignments', (t) => {
    t.increments('id');
    t.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.string('role', 32).notNullable();
    t.integer('scope_department_id').unsigned().nullable().references('id').inTable('departments');
    t.unique(['user_id', 'role', 'scope_department_id']);
    t.index(['role', 'scope_department_id']);
  });

  await knex.schema.createTable('projects', (t) => {
    t.increments('id');
    t.string('code', 64).notNullable().unique();
    t.string('name', 300).notNullable();
    t.integer('department_id').unsigned().notNullable().references('id').inTable('departments');
    t.integer('year').notNullable();
    t.string('tier', 1).notNullable(); // A | B | C
    t.decimal('amount', 18, 2).notNullable(); // yuan
    t.boolean('is_new').notNullable().defaultTo(false);
    t.boolean('is_gov_investment').notNullable().defaultTo(false);
    t.boolean('is_policy').notNullable().defaultTo(false);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.index(['year', 'tier']);
    t.index(['department_id']);
  });

  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    t.bigInteger('at').notNullable();
    t.integer('actor_user_id').unsigned().nullable();
    t.integer('on_behalf_of_user_id').unsigned().nullable();
    t.string('action', 64).notNullable();
    t.string('entity_type', 32).notNullable();
    t.string('entity_id', 64).notNullable();
    t.integer('revision').nullable();
    t.string('source', 128).nullable(); // cli, card:<message id>, http:<request id>
    t.text('detail').nullable();
    t.index(['entity_type', 'entity_id']);
    t.index(['at']);
  });
  await protectAuditLog(knex);

  await knex.schema.createTable('lark_dedupe', (t) => {
    t.string('key', 191).primary(); // event:<event_id> | message:<message_id>
    t.bigInteger('seen_at').notNullable();
    t.index(['seen_at']);
  });

  await knex.schema.createTable('outbox', (t) => {
    t.bigIncrements('id');
    t.string('kind', 16).notNullable(); // send | reply | patch | buzz | batch_send | card_update
    t.string('recipient', 128).nullable(); // open_id / chat_id for the per-recipient rate limit
    t.string('uuid', 64).notNullable().unique(); // Lark's idempotency key, stable across retries
    t.text('payload').notNullable();
    t.string('ref', 128).nullable(); // what this message is about, e.g. task:12
    t.string('status', 12).notNullable().defaultTo('pending'); // pending | sent | dead
    t.integer('attempts').notNullable().defaultTo(0);
    t.bigInteger('available_at').notNullable();
    t.bigInteger('lease_until').nullable();
    t.string('claimed_by', 64).nullable();
    t.text('last_error').nullable();
    t.string('message_id', 64).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('sent_at').nullable();
    t.index(['status', 'available_at']);
    t.index(['ref']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('outbox');
  await knex.schema.dropTableIfExists('lark_dedupe');
  await knex.schema.dropTableIfExists('audit_log');
  await knex.schema.dropTableIfExists('projects');
  await knex.schema.dropTableIfExists('role_assignments');
  await knex.schema.dropTableIfExists('users');
  await knex.schema.dropTableIfExists('departments');
}

/** The audit log is append-only at the database level, not just by convention. */
async function protectAuditLog(knex: Knex): Promise<void> {
  const client = knex.client.config.client as string;
  if (client === 'mysql2' || client === 'mysql') {
    for (const op of ['UPDATE', 'DELETE']) {
      await knex.raw(
        `CREATE TRIGGER audit_log_no_${op.toLowerCase()} BEFORE ${op} ON audit_log FOR EACH ROW ` +
          `SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only'`,
      );
    }
    return;
  }
  for (const op of ['UPDATE', 'DELETE']) {
    await knex.raw(
      `CREATE TRIGGER audit_log_no_${op.toLowerCase()} BEFORE ${op} ON audit_log ` +
        `BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
    );
  }
}
