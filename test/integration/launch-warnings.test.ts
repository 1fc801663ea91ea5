import { afterEach, describe, expect, it } from 'vitest';
import { launchCampaign, launchLines } from '../../src/campaigns';
import { beijingDate } from '../../src/shared/working-days';
import { textMessage } from '../../src/sandbox/lark-sender';
import { CardDriver, text } from '../helpers/card-driver';
import { dialects } from '../helpers/databases';
import { demo, flush, startStack, type Stack } from '../helpers/stack';

/*
 * What a launch tells the bureau beyond the count: units whose tasks reach nobody (no 填报人), and a deadline in a
 * year whose holidays no calendar knows (the library stops at 2026; the bureau's file lists none) — said at launch
 * and once a day in the log.
 */
describe.each(dialects())('launch warnings on %s', (dialect) => {
  let s: Stack;
  afterEach(async () => s?.stop());

  it('names units without a filler and a year without a holiday calendar', async () => {
    s = await startStack(dialect);
    const { db } = s.service.deps;
    const unit = await db('departments').where({ code: 'JYJ01' }).first('id');
    const fillers = db('role_assignments as r').join('users as u', 'u.id', 'r.user_id');
    const ids = await fillers.where({ 'r.role': 'filler', 'u.department_id': unit.id }).pluck('r.id');
    await db('role_assignments').whereIn('id', ids).delete();
    const today = beijingDate(Date.now());
    const r = await db.transaction((tx) =>
      launchCampaign(
        tx,
        s.service.bot.forms,
        s.service.bot.cards,
        {
          title: '跨年任务',
          formId: 'performance-target',
          population: { kind: 'projects', year: 2026, codes: ['2026-JYJ01-005', '2026-JYJ02-008'] },
          opensOn: today,
          deadline: '2027-01-15',
        },
        null,
        Date.now(),
      ),
    );
    expect(r.unreached).toEqual([{ department: '杭州第一中学', tasks: 1 }]);
    expect(r.uncoveredYears).toEqual([2027]);
    const text = launchLines(r).join('\n');
    expect(text).toContain('注意：1 个单位没有填报人，其任务无人接收：杭州第一中学（1 项）');
    expect(text).toContain('注意：2027 年的节假日安排尚未录入（forms/rules/calendar.yaml）');

    await s.service.scheduler.tick(Date.now());
    await s.service.scheduler.tick(Date.now());
    const warned = s.logs.filter((l) => l.includes('holiday calendar missing for these years'));
    expect(warned).toHaveLength(1);
    expect(JSON.parse(warned[0]!)).toMatchObject({ years: [2027], campaigns: [r.campaign.id] });
  });
  it('launches a project form for one department from the card', async () => {
    s = await startStack(dialect);
    const { db } = s.service.deps;
    await s.send(textMessage(s.id, demo.performance, '发起填报'));
    await flush(s);
    const bureau = new CardDriver(s, demo.performance).fromInbox('发起填报任务');
    const today = beijingDate(Date.now());
    const values = {
      title: '杭州第一中学绩效目标补报',
      form: 'performance-target',
      population: 'projects:departments',
      year: '2026',
      opens: `${today} +0800`,
      deadline: '2026-12-31 +0800',
    };
    await bureau.click('发起', values);
    expect(text(bureau.card)).toContain('请选择要发起的部门');
    await bureau.click('发起', { ...values, departments: ['JYJ01'] });
    expect(bureau.lastToast).toEqual({ type: 'success', content: '已发起' });
    const unit = await db('departments').where({ code: 'JYJ01' }).first('id');
    const tasks = await db('campaign_tasks').select('department_id');
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks.every((t: { department_id: number }) => Number(t.department_id) === Number(unit.id))).toBe(true);
    expect(text(bureau.card)).toContain(`${tasks.length} 项任务`);
  });
});
