import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchCampaign } from '../../src/campaigns/launch';
import { publishQuiz } from '../../src/quizzes/publish';
import { cardAction } from '../../src/sandbox/lark-sender';
import { dialects } from '../helpers/databases';
import { submitTarget } from '../helpers/fill-target';
import { demo, flush, startStack, type Stack } from '../helpers/stack';

/*
 * Every registered card action, clicked by people with no relation to the item it names: another unit's filler and
 * head, another supervising department's reviewer, the finance section in charge of another department, a third-party
 * evaluator. Each must be refused and change nothing. A new action without a case here fails the suite.
 */
const outsiders = {
  otherFiller: 'ou_demo0000000000000000000000033', // 谢芳, filler of 杭州市公路与港航管理服务中心 (JTJ01)
  otherHead: 'ou_demo0000000000000000000000034', // 韩冰, unit head of JTJ01
  otherReviewer: 'ou_demo0000000000000000000000014', // 许涛, supervising reviewer of 交通运输局
  otherFinance: 'ou_demo0000000000000000000000006', // 吴刚, finance section in charge of 交通运输局
  thirdParty: 'ou_demo0000000000000000000000007', // 孙悦, third-party evaluator
};
type Who = keyof typeof outsiders;
const everyone = Object.keys(outsiders) as Who[];
/** Acting on one's own delegation is everyone's right; only people who approve nothing are outsiders there. */
const nonApprovers: Who[] = ['otherFiller', 'thirdParty'];

interface Case {
  value: Record<string, unknown>;
  form?: Record<string, unknown>;
  who?: Who[];
}

/** Domain state an action could change; audit rows and dedupe keys are left out (a refusal is recorded). */
const tables = [
  'submissions',
  'submission_revisions',
  'approval_instances',
  'approval_tasks',
  'delegations',
  'campaigns',
  'campaign_tasks',
  'quizzes',
  'quiz_attempts',
  'quiz_draws',
  'monitoring_follow_ups',
  'sampling_draws',
  'sampling_items',
  'form_assignments',
  'budget_results',
  'report_ratings',
];

describe.each(dialects())('card action guards on %s', (dialect) => {
  let s: Stack;
  let cases: Record<string, Case>;
  const fingerprint = async () => {
    const db = s.service.deps.db;
    const rows = await Promise.all(
      tables.map((t) =>
        db(t)
          .orderBy(t === 'quiz_draws' ? 'quiz_id' : 'id')
          .select(),
      ),
    );
    const outbox = await db('outbox').count({ n: '*' });
    return JSON.stringify([rows, outbox]);
  };

  beforeAll(async () => {
    s = await startStack(dialect);
    const db = s.service.deps.db;
    const now = Date.now();
    await submitTarget(s, demo.filler, '2026-JYJ01-005');
    const sub = await db('submissions').first('id');
    const inst = await db('approval_instances').first('id');
    const project = await db('projects').where({ code: '2026-JYJ01-006' }).first('id');
    const unit = await db('departments').where({ code: 'JYJ01' }).first('id');
    const today = new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
    const { bot } = s.service;
    const campaign = await db.transaction((tx) =>
      launchCampaign(
        tx,
        bot.forms,
        bot.cards,
        {
          title: '测试任务',
          formId: 'performance-target',
          population: { kind: 'projects', year: 2026 },
          opensOn: today,
          deadline: '2099-12-31',
        },
        null,
        now,
      ),
    );
    const quiz = await db.transaction((tx) =>
      publishQuiz(
        tx,
        bot.quizBanks,
        bot.cards,
        {
          bankId: [...bot.quizBanks.keys()][0]!,
          title: '测试竞答',
          questionCount: 5,
          timeLimitS: 600,
          attemptsAllowed: 1,
          opensAt: now,
          closesAt: now + 86_400_000,
          audience: { kind: 'departments', codes: ['JYJ01'] },
          prize: { kind: 'top', n: 1 },
        },
        null,
        now,
      ),
    );
    await flush(s);
    const sid = Number(sub.id);
    const iid = Number(inst.id);
    // A red report's open corrective action of 杭州第一中学 (JYJ01).
    const [fid] = await db('monitoring_follow_ups').insert({
      ...{ submission_id: sid, revision: 1, form_id: 'performance-monitoring', period: '2026', light: '红' },
      ...{ project_id: Number(project.id), department_id: Number(unit.id), action: '调整预算', deadline: '2026-09-15' },
      ...{ status: 'open', created_at: now, updated_at: now },
    });
    const qid = Number(quiz.quizId);
    const launchForm = {
      title: '再发起',
      form: 'performance-target',
      population: 'projects',
      year: '2026',
      opens: `${today} +0800`,
      deadline: '2099-12-31 +0800',
    };
    cases = {
      command: { value: { command: 'launch' } },
      'form.open': { value: { form: 'performance-target', type: 'project', id: Number(project.id) } },
      'form.page': { value: { sid, seq: 0, page: 0, nav: 'save' }, form: { manager: '改' } },
      'form.row.edit': { value: { sid, seq: 0, page: 3, index: 0 } },
      'form.row.cancel': { value: { sid, seq: 0, page: 3, index: 0 } },
      'form.row.save': { value: { sid, seq: 0, page: 3, index: 0 }, form: { name: '改' } },
      'form.row.delete': { value: { sid, seq: 0, page: 3, index: 0 } },
      'form.submit': { value: { sid, seq: 0 } },
      'form.revise': { value: { sid, rev: 1 } },
      'form.amend': { value: { sid, rev: 1 } },
      'monitor.done': { value: { fid: Number(fid) } },
      'appr.decide': { value: { iid, rev: 1, step: 0, decision: 'approve' }, form: { comment: '' } },
      'appr.detail': { value: { iid } },
      'appr.withdraw': { value: { iid } },
      'appr.urge': { value: { sid } },
      'project.show': { value: { code: '2026-JYJ01-005' } },
      'file.open': { value: { sid, id: 1 } },
      'project.form': { value: { code: '2026-JYJ01-005', sid, rev: 1 } },
      'project.export': { value: { code: '2026-JYJ01-005' } },
      'appr.open': { value: { iid } },
      'appr.batch': { value: {}, form: { items: [String(iid)], comment: '' } },
      'appr.delegate': {
        value: {},
        form: { delegate: demo.unitHead, start: `${today} +0800`, end: '2099-12-31 +0800' },
        who: nonApprovers,
      },
      'appr.undelegate': { value: {}, who: nonApprovers },
      'campaign.launch': { value: {}, form: launchForm },
      'campaign.dept': { value: { cid: campaign.campaign.id, dept: Number(unit.id) } },
      'campaign.manage': { value: { cid: campaign.campaign.id } },
      // Whoever sees progress exports their own part of it: the outsiders are those who see none.
      'campaign.export': { value: { cid: campaign.campaign.id }, who: nonApprovers },
      'campaign.close': { value: { cid: campaign.campaign.id } },
      'campaign.extend': { value: { cid: campaign.campaign.id }, form: { deadline: '2099-12-30 +0800' } },
      'campaign.preview': { value: { cid: campaign.campaign.id }, form: { date: `${today} +0800` } },
      'quiz.publish': {
        value: {},
        form: {
          bank: [...bot.quizBanks.keys()][0],
          title: '再发布',
          count: '5',
          minutes: '10',
          attempts: '1',
          days: '1',
          audience: 'all',
          prize: 'top',
          winners: '1',
        },
      },
      'quiz.start': { value: { qid } },
      'quiz.submit': { value: { qid, attempt: 1 }, form: { q0: '0' } },
      'quiz.board': { value: { qid } },
      'quiz.remind': { value: { qid } },
      'quiz.draw': { value: { qid, close: true } },
      'sampling.draw': { value: { campaign: campaign.campaign.id } },
      'sampling.show': { value: { campaign: campaign.campaign.id } },
      'results.show': { value: { year: 2026, dept: 'JYJ01' } },
      'results.export': { value: { year: 2026, dept: 'JYJ01' } },
      'results.confirm': { value: { year: 2026 } },
      'results.override': {
        value: { year: 2026, dept: 'JYJ01' },
        form: { item: '2026-JYJ01-005', choice: '保障', text: '越权' },
      },
      'rating.rate': { value: { year: 2026 }, form: { item: String(sid), choice: '优秀', text: '' } },
      'rating.publish': { value: { year: 2026 } },
      'admin.roles': { value: { op: 'grant' }, form: { person: '谢芳', role: 'admin', scope: '' } },
    };
  });
  afterAll(async () => s?.stop());

  it('has a refusal case for every registered action, and every action has a guard', () => {
    const keys = [...s.service.bot.registry.actions.keys()].sort();
    expect(keys).toEqual(Object.keys(cases).sort());
    for (const a of s.service.bot.registry.actions.values()) expect(typeof a.guard, a.key).toBe('function');
  });

  it('refuses every action to people with no relation to its item, and changes nothing', async () => {
    const before = await fingerprint();
    const accepted: string[] = [];
    for (const [key, c] of Object.entries(cases)) {
      for (const who of c.who ?? everyone) {
        const res = await s.send(
          cardAction(s.id, outsiders[who], 'om_matrix', {
            value: { action: key, ...c.value },
            form_value: c.form,
            name: c.form ? 'btn' : undefined,
          }),
        );
        expect(res.status, `${key} by ${who}`).toBe(200);
        const toast = (res.body as { toast?: { type: string; content: string } }).toast;
        if (toast?.type === 'success' || toast?.type === 'info') accepted.push(`${key} by ${who}: ${toast.content}`);
      }
    }
    expect(accepted).toEqual([]);
    await flush(s);
    expect(await fingerprint()).toBe(before);
    const refused = await s.service.deps.db('audit_log').where({ action: 'action.refused' }).count({ n: '*' });
    expect(Number((refused as { n: number }[])[0]!.n)).toBeGreaterThan(80);
  });

  it('refuses a malformed button value before any handler runs', async () => {
    const res = await s.send(
      cardAction(s.id, demo.unitHead, 'om_x', { value: { action: 'appr.decide', iid: 'abc', decision: 'approve' } }),
    );
    expect((res.body as { toast: unknown }).toast).toEqual({
      type: 'warning',
      content: '该按钮已失效，请发送“帮助”获取最新菜单',
    });
    const bad = await s.send(
      cardAction(s.id, demo.unitHead, 'om_x', {
        value: { action: 'appr.decide', iid: 1, rev: 1, step: 0, decision: 'delete' },
      }),
    );
    expect((bad.body as { toast: { type: string } }).toast.type).toBe('warning');
    expect(s.logs.some((l) => l.includes('card action refused: bad value'))).toBe(true);
  });
});
