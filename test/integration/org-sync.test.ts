import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { formatSyncReport, syncOrg } from '../../src/directory';
import { createLarkApi } from '../../src/lark/lark-api';
import { createLogger } from '../../src/observability/logger';
import { importOrg, loadSyncMapping } from '../../src/org';
import type { FakeContact, FakeDepartment } from '../../src/sandbox/fake-contacts';
import { dialects } from '../helpers/databases';
import { submitTarget } from '../helpers/fill-target';
import { textMessage } from '../../src/sandbox/lark-sender';
import { CardDriver, text } from '../helpers/card-driver';
import { demo, flush, startStack, type Stack } from '../helpers/stack';

const root = path.resolve(import.meta.dirname, '../..');
const mapping = loadSyncMapping(path.join(root, 'forms/rules/org-sync.yaml'));

interface OrgFile {
  departments: { code: string; name: string; parent?: string }[];
  users: { name: string; open_id: string; mobile?: string; email?: string; department: string; roles?: string[] }[];
}

/** The demo org as a Lark tenant shows it: the same tree, each unit's head as its Lark department leader. */
function demoTenant(): { departments: FakeDepartment[]; users: FakeContact[] } {
  const org = parse(fs.readFileSync(path.join(root, 'examples/org.yaml'), 'utf8')) as OrgFile;
  const headOf = (code: string) =>
    org.users.find((u) => u.department === code && u.roles?.includes('单位负责人'))?.open_id;
  return {
    departments: org.departments.map((d) => ({
      department_id: d.code,
      name: d.name,
      parent_department_id: d.parent && d.parent !== 'HZCZ' ? d.parent : '0',
      leader_user_id: headOf(d.code),
    })),
    // The third-party evaluator is not in the tenant: imported from a file, never seen by sync, never "left".
    users: org.users
      .filter((u) => u.open_id !== 'ou_demo0000000000000000000000007')
      .map((u) => ({
        open_id: u.open_id,
        name: u.name,
        mobile: u.mobile ? `+86${u.mobile}` : undefined,
        email: u.email,
        department_ids: [u.department],
      })),
  };
}

const qianJin = 'ou_sync000000000000000000000001';
const fangYuan = 'ou_sync000000000000000000000002';

describe.each(dialects())('org sync from Lark contacts on %s', (dialect) => {
  let s: Stack;
  afterEach(async () => s?.stop());

  it('shows an exact dry-run diff, applies it once, keeps roles and hands a leaver’s approvals to the new head', async () => {
    s = await startStack(dialect);
    const db = s.service.deps.db;
    const client = createLarkApi(
      { appId: s.id.appId, appSecret: 'test-secret', domain: s.service.deps.config.lark.domain },
      createLogger('silent'),
    ).client;
    const cards = s.service.bot.cards;
    const sync = (dryRun: boolean) => syncOrg(db, client, { mapping, dryRun, now: Date.now(), source: 'test', cards });
    const tenant = demoTenant();
    Object.assign(s.fake.contacts, tenant, { maxPageSize: 4 }); // every list takes several pages

    // An admin's grant, to survive every sync.
    const feng = await db('users').where({ open_id: 'ou_demo0000000000000000000000012' }).first('id');
    const jyj = await db('departments').where({ code: 'JYJ' }).first('id');
    await db('role_assignments').insert({
      user_id: feng.id,
      role: 'supervising_reviewer',
      scope_department_id: jyj.id,
      source: 'admin',
    });

    // First sync: Lark and the file agree; the people Lark shows become managed by sync, nothing else changes.
    const baseline = await sync(false);
    expect(baseline.plan.users.adopted).toHaveLength(27);
    expect({ ...baseline.plan, users: { ...baseline.plan.users, adopted: [] } }).toEqual({
      departments: { added: [], renamed: [], moved: [], notInLark: [] },
      users: { added: [], moved: [], updated: [], returned: [], left: [], adopted: [] },
      leaders: { grant: [], revoke: [] },
      problems: [],
    });

    // Zhang Wei, JYJ01's head, has an approval waiting when he leaves.
    await submitTarget(s, demo.filler, '2026-JYJ01-006');
    await flush(s);

    // In Lark: a new unit with a new head, a new head for JYJ01 (in a section under it), a move, a rename, two leavers.
    const c = s.fake.contacts;
    c.departments.push(
      { department_id: 'JYJ04', name: '杭州市教育科学研究院', parent_department_id: 'JYJ', leader_user_id: fangYuan },
      { department_id: 'JYJ01-BGS', name: '办公室', parent_department_id: 'JYJ01' },
    );
    c.departments.find((d) => d.department_id === 'JYJ01')!.leader_user_id = qianJin;
    c.departments.find((d) => d.department_id === 'WJW03')!.name = '杭州市急救中心（120 指挥中心）';
    c.users.push(
      { open_id: qianJin, name: '钱进', mobile: '+8613800000051', department_ids: ['JYJ01-BGS'] },
      { open_id: fangYuan, name: '方圆', email: 'fangyuan@hz.example.com', department_ids: ['JYJ04'] },
    );
    c.users.find((u) => u.open_id === demo.otherFiller)!.department_ids = ['JYJ03'];
    c.users.find((u) => u.open_id === demo.unitHead)!.status = { is_resigned: true };
    c.users = c.users.filter((u) => u.open_id !== 'ou_demo0000000000000000000000035');
    const pages = () => s.fake.requests.filter((r) => r.path.includes('/departments/0/children')).length;
    const pagesBefore = pages();

    const dry = await sync(true);
    expect(pages() - pagesBefore).toBe(4); // 14 departments, 4 a page
    expect(formatSyncReport(dry).split('\n')).toEqual([
      '飞书通讯录：部门 14 个，人员 28 人',
      '部门：新增 1，改名 1，调整上级 0',
      '  + JYJ04 杭州市教育科学研究院（单位，上级 JYJ）',
      '  ~ WJW03 改名：杭州市急救中心 → 杭州市急救中心（120 指挥中心）',
      '人员：新增 2，调动 1，离开 2，重新启用 0，信息更新 0',
      '  + 钱进（JYJ01）',
      '  + 方圆（JYJ04）',
      '  ↷ 杨帆：JYJ02 → JYJ03（仍有 JYJ02 的角色：填报人，请在 管理员 卡片调整）',
      '  - 张伟（JYJ01）离开：停用，记录保留，1 项待审批转给 钱进',
      '  - 唐亮（JTJ02）离开：停用，记录保留，0 项待审批转给 曹阳；JTJ02 已无填报人，请指定',
      '单位负责人（飞书部门负责人）：授予 2，撤销 0',
      '  + 钱进 @JYJ01',
      '  + 方圆 @JYJ04',
      '试运行：以上变化尚未应用（去掉 --dry-run 即应用）。',
    ]);
    // The dry run changed nothing.
    expect(await db('departments').where({ code: 'JYJ04' }).first()).toBeUndefined();
    expect((await db('users').where({ open_id: demo.unitHead }).first()).active).toBeTruthy();

    const applied = await sync(false);
    expect(applied.applied).toBe(true);
    expect({ ...applied.plan, users: { ...applied.plan.users } }).toEqual(dry.plan);
    expect(applied.handOvers).toEqual(dry.handOvers);

    // Applying again changes nothing.
    const again = await sync(false);
    expect(again.applied).toBe(false);
    expect(formatSyncReport(again).split('\n').at(-1)).toBe('没有变化。');

    // History stays: the leaver is inactive with the date he left; the file-only evaluator is untouched.
    const zhang = await db('users').where({ open_id: demo.unitHead }).first();
    expect(Boolean(zhang.active)).toBe(false);
    expect(Number(zhang.left_at)).toBeGreaterThan(0);
    expect(Boolean((await db('users').where({ open_id: 'ou_demo0000000000000000000000007' }).first()).active)).toBe(
      true,
    );
    // Roles: the admin's grant and the file's roles survive; the new heads hold unit_head from sync.
    const rolesOf = async (openId: string) =>
      (
        await db('role_assignments as r')
          .join('users as u', 'u.id', 'r.user_id')
          .leftJoin('departments as d', 'd.id', 'r.scope_department_id')
          .where('u.open_id', openId)
          .select('r.role', 'd.code', 'r.source')
      ).map((r: { role: string; code: string; source: string }) => `${r.role}@${r.code}:${r.source}`);
    expect((await rolesOf('ou_demo0000000000000000000000012')).sort()).toEqual([
      'filler@JYJ:import',
      'supervising_reviewer@JYJ:admin',
    ]);
    expect(await rolesOf(qianJin)).toEqual(['unit_head@JYJ01:sync']);
    expect(await rolesOf(demo.otherFiller)).toEqual(['filler@JYJ02:import']);

    // The new head is told once, and decides the leaver's waiting approval from his own 待审批.
    await flush(s);
    expect(s.fake.messagesTo(qianJin).map((m) => text(m.card))).toEqual([
      expect.stringContaining('张伟 已离开（飞书通讯录同步），其 1 项待审批转由您处理'),
    ]);
    // 唐亮 was JTJ02's only filler: its head hears that the unit's tasks now reach nobody.
    expect(s.fake.messagesTo('ou_demo0000000000000000000000036').map((m) => text(m.card))).toEqual([
      expect.stringContaining('唐亮 是 JTJ02 最后一位填报人：请联系管理员为本单位指定填报人。'),
    ]);
    await s.send(textMessage(s.id, qianJin, '待审批'));
    await flush(s);
    const head = new CardDriver(s, qianJin).fromInbox('待审批事项');
    expect(text(head.card)).toContain('代 张伟');
    await head.click('打开');
    await flush(s);
    head.fromInbox('待审批：');
    await head.click('同意', { comment: '同意' });
    expect(head.lastToast).toEqual({ type: 'success', content: '已同意（钱进 代 张伟）' });
    const audit = await db('audit_log').where({ action: 'org.sync' }).count({ n: '*' }).first();
    expect(Number(audit!.n)).toBe(2); // the baseline and the applied change; the dry run and the no-op leave none
  });

  it('lets an admin grant, revoke and scope roles on the 管理员 card, audited, once per double click', async () => {
    s = await startStack(dialect);
    const db = s.service.deps.db;
    await s.send(textMessage(s.id, demo.filler, '管理员'));
    await flush(s);
    expect(text(s.fake.messagesTo(demo.filler).at(-1)!.card)).not.toContain('角色管理');

    await s.send(textMessage(s.id, demo.admin, '管理员'));
    await flush(s);
    const admin = new CardDriver(s, demo.admin).fromInbox('角色管理');
    await admin.click('查看', { person: '张伟' });
    expect(text(admin.card)).toContain('单位负责人（杭州第一中学） · 文件导入');
    await admin.click('授予', { person: '无此人', role: 'filler' });
    expect(text(admin.card)).toContain('找不到在职人员“无此人”');
    await admin.click('授予', { person: '杨帆', role: 'finance_section' });
    expect(text(admin.card)).toContain('财政业务处室 须填写负责的部门');
    await admin.click('授予', { person: '杨帆', role: 'filler', scope: '不存在的局' });
    expect(text(admin.card)).toContain('找不到部门“不存在的局”');

    // A grant by department name; a double click grants once and audits once.
    const grant = { person: '杨帆', role: 'supervising_reviewer', scope: '杭州市教育局' };
    await Promise.all([admin.click('授予', grant), admin.click('授予', grant)]);
    expect(text(admin.card)).toContain('主管部门审核人（杭州市教育局） · 管理员授予');
    expect(await db('audit_log').where({ action: 'role.grant' }).count({ n: '*' }).first()).toEqual({ n: 1 });
    await flush(s);
    expect(s.fake.messagesTo(demo.otherFiller).map((m) => text(m.card))).toEqual([
      expect.stringContaining('管理员 赵敏 为您开通了 主管部门审核人（杭州市教育局） 角色'),
    ]);
    // A city-wide role has no scope to make it unique: the double click still grants it once.
    const thirdParty = { person: '杨帆', role: 'third_party' };
    await Promise.all([admin.click('授予', thirdParty), admin.click('授予', thirdParty)]);
    expect(await db('role_assignments').where({ role: 'third_party' }).count({ n: '*' }).first()).toEqual({ n: 2 });
    await admin.click('撤销', thirdParty);
    expect(await db('role_assignments').where({ role: 'third_party' }).count({ n: '*' }).first()).toEqual({ n: 1 });
    // A file import keeps the admin's grant.
    await importOrg(db, path.join(root, 'examples/org.yaml'), Date.now());
    await admin.click('查看', { person: '13800000023' });
    expect(text(admin.card)).toContain('主管部门审核人（杭州市教育局） · 管理员授予');

    await admin.click('撤销', grant);
    expect(admin.lastToast).toEqual({ type: 'success', content: '已撤销 杨帆 主管部门审核人（杭州市教育局）' });
    await admin.click('撤销', grant);
    expect(admin.lastToast).toEqual({
      type: 'info',
      content: '杨帆 主管部门审核人（杭州市教育局） 没有该角色，未做改动',
    });
    const revoked = await db('audit_log').where({ action: 'role.revoke' }).orderBy('id', 'desc').first();
    expect(JSON.parse(revoked.detail)).toMatchObject({ role: 'supervising_reviewer', source: 'admin' });

    // The last admin cannot remove themselves: 陈静 loses admin first, then 赵敏 is the only one.
    await admin.click('撤销', { person: '陈静', role: 'admin' });
    expect(admin.lastToast?.type).toBe('success');
    await admin.click('撤销', { person: '赵敏', role: 'admin' });
    expect(text(admin.card)).toContain('不能撤销最后一位管理员的管理员角色');
    expect(await db('role_assignments').where({ role: 'admin' }).count({ n: '*' }).first()).toEqual({ n: 1 });
  });

  it('runs the daily sync once a day across instances, from 02:00 Beijing time, and retries a failed run', async () => {
    let now = Date.parse('2026-12-01T01:30:00+08:00');
    const clock = () => now;
    s = await startStack(dialect, { clock, env: { ORG_SYNC: 'daily' } });
    const other = await startStack(dialect, { clock, env: { ORG_SYNC: 'daily' }, databaseUrl: s.databaseUrl });
    try {
      for (const f of [s.fake, other.fake]) Object.assign(f.contacts, demoTenant());
      expect(await s.service.orgSync!.tick(now)).toBe('not-due');
      now = Date.parse('2026-12-01T02:10:00+08:00');
      // Lark refuses the first run (no contact permission): nothing is applied and the day's run is given back.
      s.fake.fail({ status: 400, body: { code: 40004, msg: 'no dept authority error' } }, 1, /contact/);
      await expect(s.service.orgSync!.tick(now)).rejects.toThrow('读取飞书通讯录失败（40004 no dept authority error）');
      // Throttled and failing pages are tried again: the run that follows gets through them, whichever instance runs.
      for (const f of [s.fake, other.fake]) {
        f.fail({ status: 429, headers: { 'x-ogw-ratelimit-reset': '0' } }, 1, /contact/);
        f.fail({ status: 500 }, 1, /contact/);
      }
      const runs = await Promise.all([s.service.orgSync!.tick(now), other.service.orgSync!.tick(now)]);
      expect(runs.filter((r) => r === 'done')).toHaveLength(1);
      expect(runs.find((r) => r !== 'done')).toMatchObject({ applied: true });
      const retried = [s.fake, other.fake].find((f) => f.requests.some((r) => r.status === 429));
      expect(retried!.requests.filter((r) => /contact/.test(r.path) && r.status >= 429).map((r) => r.status)).toEqual([
        429, 500,
      ]);
      now = Date.parse('2026-12-01T16:00:00+08:00');
      expect(await other.service.orgSync!.tick(now)).toBe('done');
      const db = s.service.deps.db;
      expect(await db('scheduler_runs').where('key', 'like', 'org-sync:%').pluck('key')).toEqual([
        'org-sync:2026-12-01',
      ]);
      const audits = await db('audit_log').where({ action: 'org.sync' }).select('source');
      expect(audits).toEqual([{ source: 'scheduler' }]);
    } finally {
      await other.stop();
    }
  });

  it('is run by operators as `org sync --dry-run`, which prints the diff, and refuses a missing mapping', async () => {
    s = await startStack(dialect);
    Object.assign(s.fake.contacts, demoTenant());
    s.fake.contacts.departments.push({
      department_id: 'JYJ04',
      name: '杭州市教育科学研究院',
      parent_department_id: 'JYJ',
    });
    const cli = (...args: string[]) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'org', 'sync', ...args], {
          cwd: root,
          env: {
            PATH: process.env.PATH!,
            DATABASE_URL: s.databaseUrl,
            LARK_APP_ID: s.id.appId,
            LARK_APP_SECRET: 'test-secret',
            LARK_ENCRYPT_KEY: 'test-encrypt-key',
            LARK_DOMAIN: s.service.deps.config.lark.domain,
          },
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (err += d));
        child.on('exit', (code) => resolve({ code, out, err }));
      });
    const dry = await cli('--dry-run');
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain('部门：新增 1，改名 0，调整上级 0');
    expect(dry.out).toContain('  + JYJ04 杭州市教育科学研究院（单位，上级 JYJ）');
    expect(dry.out.trim().split('\n').at(-1)).toBe('试运行：以上变化尚未应用（去掉 --dry-run 即应用）。');
    expect(await s.service.deps.db('departments').where({ code: 'JYJ04' }).first()).toBeUndefined();
    const missing = await cli('--mapping', 'nowhere.yaml');
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain('找不到映射文件 nowhere.yaml');
  });
});
