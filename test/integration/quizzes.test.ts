import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { quizExport } from '../../src/quizzes';
import { correctIndexes, loadBanks } from '../../src/quizzes/bank-schema';
import type { Paper } from '../../src/quizzes/quiz-logic';
import { cardAction, textMessage } from '../../src/sandbox/lark-sender';
import { CardDriver, buttons, text } from '../helpers/card-driver';
import { dialects } from '../helpers/databases';
import { demo, flush, startStack, type Stack } from '../helpers/stack';

const bank = loadBanks().banks.get('budget-performance-rules')!;
const yangFan = 'ou_demo0000000000000000000000023';

describe.each(dialects())('training quizzes on %s', (dialect) => {
  let s: Stack;
  // A fixed clock in the past: the outbox worker runs on real time, so queued cards are due at once.
  let now = Date.parse('2026-11-02T10:00:00+08:00');
  afterEach(async () => s?.stop());

  /** The form values that answer a paper: right answers, or the first option for every question. */
  async function answers(openId: string, right: boolean) {
    const db = s.service.deps.db;
    const u = await db('users').where({ open_id: openId }).first('id');
    const paper = JSON.parse((await db('quiz_recipients').where({ user_id: u.id }).first('paper')).paper) as Paper;
    return Object.fromEntries(
      paper.questions.map((pq, i) => {
        const q = bank.questions.find((x) => x.id === pq.id)!;
        const shown = right ? correctIndexes(q).map((orig) => String(pq.order.indexOf(orig))) : ['0'];
        return [`q${i}`, q.type === 'multiple' ? shown : shown[0]];
      }),
    );
  }

  /** 开始答题: the paper comes as a new message (the invite was batch-sent); the driver moves to it. */
  async function start(u: CardDriver, label = '开始答题') {
    await u.click(label);
    await flush(s);
    if (u.lastToast?.type === 'success') u.fromInbox('交卷');
  }

  async function publish() {
    s = await startStack(dialect, { clock: () => now });
    const bureau = new CardDriver(s, demo.performance);
    await s.send(textMessage(s.id, demo.performance, '发布竞答'));
    await flush(s);
    bureau.fromInbox('发布有奖竞答');
    const form = {
      bank: 'budget-performance-rules',
      title: '绩效知识竞答',
      count: '8',
      minutes: '10',
      days: '7',
      attempts: '2',
      audience: 'departments',
      departments: ['JYJ01', 'JYJ02'],
      prize: 'top',
      winners: '3',
    };
    await bureau.click('发布', { ...form, count: '99' });
    expect(text(bureau.card)).toContain('每人题数应为 1–20');
    const publishValue = bureau.button('发布') as Record<string, unknown>;
    await bureau.click('发布', form);
    expect(text(bureau.card)).toContain('已向 4 人发出答题卡片');
    // A second click on the same card (or the same quiz again today) publishes nothing more.
    const twice = await s.send(
      cardAction(s.id, demo.performance, bureau.messageId, { value: publishValue, form_value: form, name: 'btn' }),
    );
    expect((twice.body as { toast: unknown }).toast).toEqual({ type: 'info', content: '未重复发布' });
    expect(await s.service.deps.db('quizzes').count({ n: '*' })).toEqual([{ n: 1 }]);
    await flush(s);
    return bureau;
  }

  it('broadcasts per-user cards with shuffled papers, scores on the server, and shows right and wrong with explanations', async () => {
    await publish();
    const papers = (await s.service.deps.db('quiz_recipients').pluck('paper')).map((p: string) =>
      JSON.stringify(JSON.parse(p)),
    );
    expect(new Set(papers).size).toBe(4); // each person's questions and option order differ
    const u = new CardDriver(s, demo.filler).fromInbox('有奖竞答');
    await start(u);
    expect(text(u.card)).toContain('第 1 次作答');
    await u.click('交卷', await answers(demo.filler, true));
    expect(u.lastToast).toEqual({ type: 'success', content: '得分 100' });
    expect(text(u.card)).toContain('答对 8/8');
    expect(text(u.card)).toContain('财预');
    await start(u, '再答一次');
    await u.click('交卷', await answers(demo.filler, false));
    expect(text(u.card)).toContain('❌');
    expect(text(u.card)).toContain('正确答案');
    // Both attempts used: no third.
    const again = new CardDriver(s, demo.filler).fromInbox('有奖竞答');
    await start(again);
    expect(again.lastToast).toEqual({ type: 'warning', content: '每人限答 2 次，您已答完' });
    // 竞答 shows a participant their own best result and standing.
    await s.send(textMessage(s.id, demo.filler, '竞答'));
    await flush(s);
    const mine = new CardDriver(s, demo.filler).fromInbox('您的最好成绩');
    expect(text(mine.card)).toMatch(/您的最好成绩：100 分，用时 \d+ 分 \d+ 秒，目前第 1 名（共 1 人参加）/);
  });

  it('opens a quiz scheduled for a later day at 09:00, announcing it then', async () => {
    s = await startStack(dialect, { clock: () => now });
    const bureau = new CardDriver(s, demo.performance);
    await s.send(textMessage(s.id, demo.performance, '发布竞答'));
    await flush(s);
    bureau.fromInbox('发布有奖竞答');
    expect(text(bureau.card)).toContain('**每人可答次数**');
    await bureau.click('发布', {
      ...{ bank: 'budget-performance-rules', title: '下周竞答', count: '5', minutes: '10', days: '3', attempts: '1' },
      ...{ opens: '2026-11-05 +0800', audience: 'departments', departments: ['JYJ01'], prize: 'top', winners: '1' },
    });
    expect(text(bureau.card)).toContain('将于 11月5日 周四 09&#58;00 开放并向 2 人发出答题卡片'); // the colon escaped for markdown
    const db = s.service.deps.db;
    const quiz = await db('quizzes').first('id', 'opens_at', 'closes_at');
    const opens = Date.parse('2026-11-05T09:00:00+08:00');
    expect([Number(quiz.opens_at), Number(quiz.closes_at)]).toEqual([opens, opens + 3 * 86_400_000]);
    // One batch for both recipients, due when the quiz opens.
    const invites = await db('outbox').where('uuid', 'like', `quiz:${quiz.id}:%`).select('available_at', 'kind');
    expect(invites.map((r) => [r.kind, Number(r.available_at)])).toEqual([['batch_send', opens]]);
    const u = new CardDriver(s, demo.filler);
    await u.clickValue({ action: 'quiz.start', qid: Number(quiz.id) });
    expect(u.lastToast).toEqual({ type: 'warning', content: '竞答尚未开始' });
  });

  it('refuses late answers, forwarded cards and answers outside the window', async () => {
    await publish();
    const head = new CardDriver(s, demo.unitHead).fromInbox('有奖竞答');
    await start(head);
    const paperCard = head.card;
    now += 11 * 60_000; // over the 10-minute limit
    await head.click('交卷', await answers(demo.unitHead, true));
    expect(head.lastToast).toEqual({ type: 'error', content: '已超过答题时限，本次作答不计分' });
    expect(await s.service.deps.db('quiz_attempts').where({ status: 'late' }).count({ n: '*' })).toEqual([{ n: 1 }]);

    // Someone else submitting this person's paper card, and someone outside the audience starting it.
    const other = new CardDriver(s, yangFan);
    other.card = paperCard;
    await other.click('交卷', await answers(demo.unitHead, true));
    expect(other.lastToast).toEqual({ type: 'warning', content: '这张答题卡不是发给您的' });
    const outsider = new CardDriver(s, demo.performance);
    outsider.card = s.fake.messagesTo(demo.unitHead)[0]!.card;
    await start(outsider);
    expect(outsider.lastToast).toEqual({ type: 'warning', content: '这张答题卡不是发给您的' });

    // The second attempt, in time.
    const second = new CardDriver(s, demo.unitHead).fromInbox('有奖竞答');
    await start(second);
    expect(text(second.card)).toContain('第 2 次作答');
    now += 60_000;
    await second.click('交卷', await answers(demo.unitHead, true));
    expect(second.lastToast).toEqual({ type: 'success', content: '得分 100' });

    now += 8 * 86_400_000; // closed
    const late = new CardDriver(s, yangFan).fromInbox('有奖竞答');
    await start(late);
    expect(late.lastToast).toEqual({ type: 'warning', content: '竞答已结束' });
  });

  it('starts one attempt and scores a paper once when 开始答题 and 交卷 are clicked twice at the same instant', async () => {
    await publish();
    const u = new CardDriver(s, demo.filler).fromInbox('有奖竞答');
    const startValue = u.button('开始答题') as Record<string, unknown>;
    const starts = await Promise.all(
      [1, 2].map(() => s.send(cardAction(s.id, demo.filler, u.messageId, { value: startValue }))),
    );
    expect(starts.map((r) => r.status)).toEqual([200, 200]);
    expect(starts.every((r) => JSON.stringify(r.body).includes('第 1 次作答'))).toBe(true);
    expect(await s.service.deps.db('quiz_attempts').count({ n: '*' })).toEqual([{ n: 1 }]);
    // The twin click joins the attempt; it does not mark it late (as it once did on MySQL).
    expect(await s.service.deps.db('quiz_attempts').pluck('status')).toEqual(['started']);
    await start(u);
    // However often it is clicked, the attempt's paper is sent once.
    await flush(s);
    const papers = s.fake.messagesTo(demo.filler).filter((m) => text(m.card).includes('交卷'));
    expect(papers).toHaveLength(1);
    const submit = u.button('交卷');
    const [right, wrong] = [await answers(demo.filler, true), await answers(demo.filler, false)];
    const [a, b] = await Promise.all(
      [right, wrong].map((form) =>
        s.send(
          cardAction(s.id, demo.filler, u.messageId, {
            value: submit as Record<string, unknown>,
            form_value: form,
            name: 'btn',
          }),
        ),
      ),
    );
    const toasts = [a!, b!].map((r) => (r.body as { toast: { type: string; content: string } }).toast);
    expect(toasts.filter((t) => t.type === 'success')).toHaveLength(1);
    expect(toasts.filter((t) => t.type === 'warning' && t.content === '本次作答已交卷')).toHaveLength(1);
    const scored = await s.service.deps.db('quiz_attempts').where({ status: 'submitted' }).select('score');
    expect(scored).toHaveLength(1);
    expect(toasts.find((t) => t.type === 'success')!.content).toBe(`得分 ${Number(scored[0].score)}`);
  });

  it('pages the units of a large audience 20 at a time', async () => {
    s = await startStack(dialect, { clock: () => now });
    const db = s.service.deps.db;
    const codes = Array.from({ length: 25 }, (_, i) => `TEST${String(i + 1).padStart(2, '0')}`);
    for (const [i, code] of codes.entries()) {
      const [dept] = await db('departments').insert({
        code,
        name: `测试单位${i + 1}`,
        kind: 'unit',
        created_at: 1,
        updated_at: 1,
      });
      const openId = `ou_pagetest${String(i).padStart(21, '0')}`;
      await db('users').insert({
        open_id: openId,
        name: `测试${i + 1}`,
        department_id: dept,
        created_at: 1,
        updated_at: 1,
      });
    }
    const bureau = new CardDriver(s, demo.performance);
    await s.send(textMessage(s.id, demo.performance, '发布竞答'));
    await flush(s);
    bureau.fromInbox('发布有奖竞答');
    const form = { bank: 'budget-performance-rules', title: '全市竞答', count: '5', minutes: '10', days: '7' };
    await bureau.click('发布', {
      ...form,
      attempts: '1',
      audience: 'departments',
      departments: codes,
      prize: 'top',
      winners: '3',
    });
    expect(text(bureau.card)).toContain('已向 25 人发出答题卡片');
    await bureau.click('竞答结果');
    const units = (card: unknown) => (text(card).match(/测试单位\d+：参与/g) ?? []).length;
    expect(text(bureau.card)).toContain('第 1–20 个，共 25 个单位');
    expect(units(bureau.card)).toBe(20);
    expect(text(bureau.card)).not.toContain('"tag":"chart"'); // nobody has answered: no accuracy to draw
    expect(buttons(bureau.card).map((b) => b.text)).not.toContain('上一页');
    await bureau.click('下一页');
    expect(text(bureau.card)).toContain('第 21–25 个，共 25 个单位');
    expect(units(bureau.card)).toBe(5);
    expect(buttons(bureau.card).map((b) => b.text)).not.toContain('下一页');
    await bureau.click('上一页');
    expect(text(bureau.card)).toContain('第 1–20 个');
  });

  it('ranks by score then time, shows department and question statistics, reminds non-participants, and draws prizes reproducibly', async () => {
    const bureau = await publish();
    for (const [openId, right, minutes] of [
      [demo.filler, true, 3],
      [demo.unitHead, true, 1],
      [yangFan, false, 2],
    ] as const) {
      const u = new CardDriver(s, openId).fromInbox('有奖竞答');
      await start(u);
      now += minutes * 60_000;
      await u.click('交卷', await answers(openId, right));
    }
    await bureau.click('竞答结果');
    const board = text(bureau.card);
    expect(board).toContain('已发送 4/4 · 参与 3 人');
    expect(board.indexOf('张伟')).toBeLessThan(board.indexOf('刘洋')); // same score, faster
    expect(board).toContain('杭州第一中学：参与 2/2，正确率 100%');
    // Each unit's accuracy as a bar chart (Lark's chart component).
    expect(board).toContain(
      '"values":[{"unit":"杭州第一中学","accuracy":100},{"unit":"杭州职业技术学院","accuracy":25}]',
    );
    expect(board).toContain('各题正确率');
    // The hardest 8 questions first; 查看全部 lists every question answered.
    const shown = (card: unknown) => (text(card).match(/\d+(\.\d+)?% · /g) ?? []).length;
    const all = Number(/查看全部 (\d+) 题/.exec(board)?.[1] ?? 0);
    expect(all).toBeGreaterThan(8); // three papers of 8 drawn from a bank of 30
    await bureau.click(`查看全部 ${all} 题`);
    expect(shown(bureau.card)).toBe(all);
    expect(text(bureau.card)).not.toContain('查看全部');
    await bureau.click('提醒未参与者');
    expect(bureau.lastToast).toEqual({ type: 'success', content: '已提醒 1 人' });
    // The same day again: nothing new is queued, and the toast says so instead of claiming another reminder.
    await bureau.click('提醒未参与者');
    expect(bureau.lastToast).toEqual({ type: 'info', content: '今天已提醒过这 1 人，未重复发送' });
    // While the quiz is open, a draw would shut out everyone still answering: it is refused unless it closes the quiz.
    const drawValue = bureau.button('结束并抽奖') as Record<string, unknown>;
    await s.send(cardAction(s.id, demo.performance, bureau.messageId, { value: { ...drawValue, close: false } }));
    expect(await s.service.deps.db('quiz_draws').count({ n: '*' })).toEqual([{ n: 0 }]);
    await bureau.click('结束并抽奖');
    expect(text(bureau.card)).toContain('🏆 张伟');
    expect(Number((await s.service.deps.db('quizzes').first('closes_at')).closes_at)).toBe(now);
    await bureau.click('提醒未参与者');
    expect(bureau.lastToast).toEqual({ type: 'warning', content: '竞答已结束' });
    const first = await s.service.deps.db('audit_log').where({ action: 'quiz.draw' }).select('detail');
    await bureau.click('刷新');
    expect(bureau.lastToast?.content).toBe('已开奖（结果不变）');
    expect(await s.service.deps.db('audit_log').where({ action: 'quiz.draw' }).select('detail')).toEqual(first);
    expect(JSON.parse(first[0].detail)).toMatchObject({ rule: { kind: 'top', n: 3 }, seed: expect.any(Number) });
    await flush(s);
    expect(
      s.fake.messagesTo('ou_demo0000000000000000000000024').filter((m) => text(m.card).includes('您还没有交卷')),
    ).toHaveLength(1);

    // export quiz: the whole ranking, every unit and every question, as a workbook the bureau files.
    const qid = Number((await s.service.deps.db('quizzes').first('id')).id);
    const exported = await quizExport(s.service.deps.db, s.service.bot.quizBanks, qid);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await exported.book.xlsx.writeBuffer());
    const ranking = book.getWorksheet('成绩排名')!;
    expect(ranking.getCell('A1').value).toBe('绩效知识竞答 · 成绩排名');
    expect(ranking.getCell('A1').isMerged).toBe(true);
    expect(String(ranking.getCell('A2').value)).toContain('发送 4 人，参与 3 人 · 获奖：张伟');
    expect(ranking.getRow(3).values).toEqual([, '名次', '姓名', '单位', '最好成绩（分）', '用时（秒）', '交卷次数']);
    expect(ranking.getRow(4).values).toEqual([, 1, '张伟', '杭州第一中学', 100, 60, 1]);
    expect(ranking.getCell('D4').numFmt).toBe('0.00');
    expect(ranking.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(ranking.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape' });
    const units = book.getWorksheet('各单位')!;
    expect(units.getRow(2).values).toEqual([, '单位', '发送人数', '参与人数', '参与率', '正确率']);
    expect(units.getRow(3).values).toEqual([, '杭州第一中学', 2, 2, 1, 1]);
    expect(units.getCell('E3').numFmt).toBe('0.00%');
    const questions = book.getWorksheet('各题')!;
    expect(questions.rowCount - 2).toBe(Number(/查看全部 (\d+) 题/.exec(board)![1]));
  });
});
