import { describe, expect, it } from 'vitest';
import { type LarkDirectory, isEmptyPlan, planSync } from '../../src/org';
import type { StoredOrg } from '../../src/org/sync-plan';

const mapping = { bureau: 'CZ', codes: { 'od-edu': 'JYJ' }, ignore: ['TMP'] };
const dir: LarkDirectory = {
  departments: [
    { id: 'CZ', name: '财政局', parentId: '0' },
    { id: 'CZ-JXC', name: '绩效处', parentId: 'CZ' },
    { id: 'od-edu', name: '教育局', parentId: '0', leaderOpenId: 'ou_edu' },
    { id: 'S1', name: '第一中学', parentId: 'od-edu', leaderOpenId: 'ou_head' },
    { id: 'S1-BGS', name: '办公室', parentId: 'S1', leaderOpenId: 'ou_clerk' },
    { id: 'TMP', name: '临时专班', parentId: '0' },
    { id: 'TMP-1', name: '专班一组', parentId: 'TMP' },
  ],
  users: [
    { openId: 'ou_perf', name: '王立新', departmentIds: ['CZ-JXC'], resigned: false },
    { openId: 'ou_edu', name: '郑伟', departmentIds: ['od-edu'], resigned: false },
    { openId: 'ou_head', name: '张伟', mobile: '13800000022', departmentIds: ['S1'], resigned: false },
    { openId: 'ou_clerk', name: '刘洋', departmentIds: ['TMP-1', 'S1-BGS'], resigned: false },
    { openId: 'ou_temp', name: '临时工', departmentIds: ['TMP-1'], resigned: false },
  ],
};
const empty: StoredOrg = { departments: [], users: [], roles: [] };

describe('planning an org sync', () => {
  it('maps the bureau, supervising departments and units, folds deeper departments, leaves ignored ones out', () => {
    const plan = planSync(dir, mapping, empty);
    expect(plan.problems).toEqual([]);
    expect(plan.departments.added).toEqual([
      { code: 'CZ', name: '财政局', kind: 'bureau', parentCode: null },
      { code: 'JYJ', name: '教育局', kind: 'supervising', parentCode: 'CZ' },
      { code: 'S1', name: '第一中学', kind: 'unit', parentCode: 'JYJ' },
    ]);
    // People in folded sections belong to the unit or bureau above; an ignored department's people are not taken.
    expect(plan.users.added.map((u) => `${u.name}@${u.department}`)).toEqual([
      '王立新@CZ',
      '郑伟@JYJ',
      '张伟@S1',
      '刘洋@S1',
    ]);
    // Leaders of supervising departments and units head them; a section's leader heads nothing.
    expect(plan.leaders.grant.map((g) => `${g.name}@${g.department}`)).toEqual(['郑伟@JYJ', '张伟@S1']);
  });

  it('matches people imported by mobile, brings back someone who returned, and stops on a missing bureau', () => {
    const stored: StoredOrg = {
      departments: [
        { code: 'CZ', name: '财政局', kind: 'bureau', parentCode: null },
        { code: 'JYJ', name: '教育局', kind: 'supervising', parentCode: 'CZ' },
        { code: 'S1', name: '第一中学', kind: 'unit', parentCode: 'JYJ' },
      ],
      users: [
        {
          id: 1,
          name: '张伟',
          openId: null,
          mobile: '13800000022',
          email: null,
          departmentCode: 'S1',
          active: true,
          synced: false,
        },
        {
          id: 2,
          name: '郑伟',
          openId: 'ou_edu',
          mobile: null,
          email: null,
          departmentCode: 'JYJ',
          active: false,
          synced: true,
        },
      ],
      roles: [{ userId: 1, role: 'unit_head', departmentCode: 'S1', source: 'import' }],
    };
    const plan = planSync({ ...dir, users: dir.users.slice(1, 3) }, mapping, stored);
    expect(plan.users.adopted).toEqual([1]);
    expect(plan.users.updated).toEqual([{ id: 1, openId: 'ou_head', name: '张伟', mobile: '13800000022' }]);
    expect(plan.users.returned).toEqual([{ id: 2, name: '郑伟', department: 'JYJ' }]);
    expect(plan.leaders.grant.map((g) => g.department)).toEqual(['JYJ']); // 张伟 already heads S1 (from the file)
    expect(isEmptyPlan(plan)).toBe(false);
    // 教育局 moved under another top-level department in Lark: it is now a unit there.
    const moved = planSync(
      { ...dir, departments: dir.departments.map((d) => (d.id === 'od-edu' ? { ...d, parentId: 'TMP' } : d)) },
      { ...mapping, ignore: [] },
      stored,
    );
    expect(moved.departments.moved).toContainEqual({
      code: 'JYJ',
      name: '教育局',
      from: 'CZ',
      to: 'TMP',
      kind: 'unit',
    });
    expect(planSync(dir, { ...mapping, bureau: 'NOPE' }, empty).problems).toEqual([
      '飞书通讯录中没有映射文件指定的财政局部门 NOPE',
    ]);
  });
});
