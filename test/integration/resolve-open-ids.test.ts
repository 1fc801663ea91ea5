import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLarkApi } from '../../src/lark/lark-api';
import { createLogger } from '../../src/observability/logger';
import { importOrg } from '../../src/org/org-import';
import { resolveOpenIds } from '../../src/org/resolve-open-ids';
import { FakeLark } from '../../src/sandbox/fake-lark';
import { dialects, migratedDb } from '../helpers/databases';

describe.each(dialects())('resolving open_ids from mobiles and emails on %s', (dialect) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });

  it('asks Lark for the people imported without an open_id and reports the ones it does not know', async () => {
    const { db, close } = await migratedDb(dialect);
    const fake = new FakeLark();
    const domain = await fake.listen();
    cleanup.push(close, () => fake.close());
    fake.directory.set('13911110001', 'ou_mobile1');
    fake.directory.set('a@unit.example.com', 'ou_email1');
    await importOrg(db, path.resolve(import.meta.dirname, '../fixtures/import/org-mobiles.yaml'), 1);
    const api = createLarkApi({ appId: 'cli_a000000000000001', appSecret: 's', domain }, createLogger('silent'));
    const r = await resolveOpenIds(db, api.client, 2);
    expect(r).toEqual({ resolved: 2, unknown: [{ name: '查无此人', key: '13911110009' }] });
    expect(await db('users').orderBy('id').pluck('open_id')).toEqual(['ou_mobile1', 'ou_email1', null]);
    // A re-import of the same file keeps the resolved open_ids.
    await importOrg(db, path.resolve(import.meta.dirname, '../fixtures/import/org-mobiles.yaml'), 3);
    expect(await db('users').orderBy('id').pluck('open_id')).toEqual(['ou_mobile1', 'ou_email1', null]);
  });
});
