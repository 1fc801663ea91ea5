import type ExcelJS from 'exceljs';
import { newWorkbook } from '../shared/excel.ts';
import type { Executor } from '../db/database.ts';
import { chineseDateTime } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { addTableSheet } from '../shared/xlsx-table.ts';
import type { Bank } from './bank-schema.ts';
import { type QuizStats, quizStats } from './quiz-board.ts';
import { type QuizRow, quizById } from './quiz-repository.ts';

/** `export quiz`: one quiz's results as a workbook, with how many people it holds. */
export async function quizExport(db: Executor, banks: Map<string, Bank>, quizId: number) {
  const quiz = await quizById(db, quizId);
  const bank = quiz && banks.get(quiz.bankId);
  if (!quiz || !bank) throw new AppError('not_found', `没有编号为 ${quizId} 的竞答`);
  const stats = await quizStats(db, bank, quiz);
  return { book: quizWorkbook(quiz, stats), participants: stats.entries.length, title: quiz.title };
}

const ratio = (a: number, b: number) => (b ? a / b : null);

/** 竞答结果 as the bureau files it: the ranking, every unit's participation and accuracy, every question's accuracy. */
function quizWorkbook(quiz: QuizRow, stats: QuizStats): ExcelJS.Workbook {
  const book = newWorkbook();
  const note = `${chineseDateTime(quiz.opensAt)} 至 ${chineseDateTime(quiz.closesAt)} · 发送 ${stats.recipients} 人，参与 ${stats.entries.length} 人`;
  addTableSheet(book, '成绩排名', {
    title: `${quiz.title} · 成绩排名`,
    note: stats.winners.length ? `${note} · 获奖：${stats.winners.join('、')}` : note,
    columns: [
      { header: '名次', width: 8, value: (e) => e.rank },
      { header: '姓名', width: 12, value: (e) => e.name },
      { header: '单位', width: 28, value: (e) => e.department },
      { header: '最好成绩（分）', width: 14, value: (e) => e.score, format: 'score' },
      { header: '用时（秒）', width: 12, value: (e) => Math.round(e.durationMs / 1000) },
      { header: '交卷次数', width: 10, value: (e) => e.attempts },
    ],
    rows: stats.entries,
  });
  addTableSheet(book, '各单位', {
    title: `${quiz.title} · 各单位参与和正确率`,
    columns: [
      { header: '单位', width: 28, value: (u) => u.name },
      { header: '发送人数', width: 10, value: (u) => u.total },
      { header: '参与人数', width: 10, value: (u) => u.joined },
      { header: '参与率', width: 10, value: (u) => ratio(u.joined, u.total), format: 'percent' },
      { header: '正确率', width: 10, value: (u) => ratio(u.right, u.answered), format: 'percent' },
    ],
    rows: stats.units,
  });
  addTableSheet(book, '各题', {
    title: `${quiz.title} · 各题正确率（由低到高）`,
    columns: [
      { header: '题目', width: 60, value: (q) => q.stem },
      { header: '依据', width: 28, value: (q) => q.source },
      { header: '作答次数', width: 10, value: (q) => q.total },
      { header: '答对次数', width: 10, value: (q) => q.right },
      { header: '正确率', width: 10, value: (q) => ratio(q.right, q.total), format: 'percent' },
    ],
    rows: stats.questions,
  });
  return book;
}
