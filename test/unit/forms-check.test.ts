import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import YAML from 'yaml';
import { compileForm } from '../../src/forms/compile-form';
import { loadForms } from '../../src/forms/load-forms';

const root = path.resolve(import.meta.dirname, '../..');

describe('forms:check', () => {
  it('accepts the shipped forms', () => {
    const { forms, errors } = loadForms();
    expect(errors).toEqual([]);
    expect([...forms.keys()].sort()).toEqual([
      'department-evaluation',
      'ex-ante-evaluation',
      'fiscal-operation',
      'focus-evaluation',
      'performance-monitoring',
      'performance-target',
      'rectification',
      'sampling-review',
      'self-evaluation',
    ]);
  });

  it('fails on the broken fixtures with one precise line per problem', () => {
    const r = spawnSync(
      path.join(root, 'node_modules/.bin/tsx'),
      ['src/cli.ts', 'forms', 'check', 'test/fixtures/forms-broken'],
      { cwd: root, encoding: 'utf8' },
    );
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('表单定义有 14 处错误');
    expect(lines).toEqual(
      expect.arrayContaining([
        'self-evaluation.yaml: sections[1].fields[3].options: required',
        'bad-expressions.yaml: sections[0].fields[1].compute: 未知的函数 “summ”（第 1 列）',
        'bad-expressions.yaml: sections[0].fields[2].compute: 未知的名称 “w”（第 5 列）',
        'bad-expressions.yaml: sections[0].fields[3].visible_if: 表达式不完整（第 4 列）',
        'bad-expressions.yaml: sections[0].fields[4].default: “丙” 不在选项中',
        'bad-expressions.yaml: sections[0].fields[5].id: 字段 “x” 重复',
        'bad-expressions.yaml: checks[0].rule: 未知的函数 “eval”（第 1 列）',
        'bad-types.yaml: sections[0].fields[0].type: 未知的字段类型 “number”，应为 text、textarea、integer、decimal、money、percent、date、choice、multi_choice、yes_no、person、department、file 或 group',
        'bad-types.yaml: 未知的属性 “colour”',
        'bad-types.yaml: version: 不能小于 1',
        'bad-scorecard.yaml: sections[0].fields[0].rows（评价指标）: 产出 + 效益 的分值合计 55，占总分 100 的 55%，应不低于 60%（财预〔2020〕10号）',
      ]),
    );
    expect(lines.some((l) => l.startsWith('bad-yaml.yaml: YAML 语法错误（第 3 行）'))).toBe(true);
  });

  it('leaves a broken form out and loads the others', () => {
    const { forms, errors } = loadForms(path.join(root, 'test/fixtures/forms-broken'));
    expect(forms.size).toBe(0);
    expect(errors.length).toBe(14);
  });
});

describe('question banks', () => {
  it('loads the shipped bank of at least 30 questions, each with answer, explanation and source', async () => {
    const { loadBanks } = await import('../../src/quizzes/bank-schema');
    const { banks, errors } = loadBanks();
    expect(errors).toEqual([]);
    const bank = banks.get('budget-performance-rules')!;
    expect(bank.questions.length).toBeGreaterThanOrEqual(30);
    expect(new Set(bank.questions.map((q) => q.type))).toEqual(new Set(['single', 'multiple', 'true_false']));
  });

  it('reports a broken bank by file and path', async () => {
    const { loadBanks } = await import('../../src/quizzes/bank-schema');
    const { banks, errors } = loadBanks(path.join(root, 'test/fixtures/quizzes-broken/quizzes'));
    expect(banks.size).toBe(0);
    expect(errors).toEqual([
      'quizzes/bad-answers.yaml: questions[0].answer: 答案 C 超出选项范围',
      'quizzes/bad-answers.yaml: questions[1].id: 题目编号 “q1” 重复',
      'quizzes/bad-answers.yaml: questions[2].source: 出处引用了条款但未核实：核对原文后加 source_verified: true，否则只写文件及其支持的内容',
      'quizzes/bad-answers.yaml: questions[4].options: 多选题至少应有一个错误选项',
      'quizzes/bad-bank.yaml: questions[2].explanation: required',
    ]);
  });
});

describe('scorecard weights', () => {
  const raw = () =>
    YAML.parse(fs.readFileSync(path.join(root, 'forms/focus-evaluation.yaml'), 'utf8')) as {
      sections: { fields: { rows: { level3: string; weight: number }[] }[] }[];
    };

  it('holds the shipped 重点评价 to 100 and 产出 + 效益 to 70 %', () => {
    expect(compileForm(raw()).errors).toEqual([]);
  });

  it('refuses weights that do not add up, naming the table', () => {
    const def = raw();
    def.sections[0]!.fields[0]!.rows[0]!.weight = 8; // 立项依据充分性 3 → 8: 105 in all
    expect(compileForm(def).errors).toEqual(['sections[0].fields[0].rows（评价指标）: 各项分值合计 105，应为 100']);
  });

  it('refuses 产出 + 效益 below 60 % even when the total is right', () => {
    const def = raw();
    const rows = def.sections[0]!.fields[0]!.rows;
    rows.find((r) => r.level3 === '实际完成率')!.weight = 0;
    rows.find((r) => r.level3 === '立项依据充分性')!.weight = 13; // 10 points moved from 产出 to 决策: 60 % exactly
    expect(compileForm(def).errors).toEqual([]);
    rows.find((r) => r.level3 === '质量达标率')!.weight = 9;
    rows.find((r) => r.level3 === '立项程序规范性')!.weight = 3;
    expect(compileForm(def).errors).toEqual([
      'sections[0].fields[0].rows（评价指标）: 产出 + 效益 的分值合计 59，占总分 100 的 59%，应不低于 60%（财预〔2020〕10号）',
    ]);
  });
});
