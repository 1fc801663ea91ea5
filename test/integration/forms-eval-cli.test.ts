import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';

/* `forms eval` as an operator runs it: the real CLI process, the example files the forms README shows. */
const root = path.resolve(import.meta.dirname, '../..');
const evalForm = (...args: string[]) =>
  spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['src/cli.ts', 'forms', 'eval', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
const example = (name: string) => path.join(root, 'forms/examples', name);

describe('forms eval', () => {
  it('reproduces the self-evaluation worked by hand: 81.75, 良', () => {
    const r = evalForm('self-evaluation', example('self-evaluation.yaml'));
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      computed: {
        exec_rate: 0.925,
        exec_score: 9.25,
        indicators: [
          { score: 42.5, far_beyond: null },
          { score: 30, far_beyond: null },
        ],
        total: 81.75,
        grade: '良',
      },
      problems: [],
      warnings: [],
    });
  });

  it('reproduces the monitoring lights, and lists what a red row still needs with exit code 1', () => {
    const ok = evalForm('performance-monitoring', example('performance-monitoring.yaml'));
    expect(ok.status, ok.stderr).toBe(0);
    const out = JSON.parse(ok.stdout);
    expect(out.computed.time_progress).toBeCloseTo(7 / 12, 12);
    expect(out.computed.funds_light).toBe('绿');
    expect(out.computed.indicators.map((r: { light: string }) => r.light)).toEqual([
      '红',
      '黄',
      '绿',
      '绿',
      '蓝',
      '红',
      '黄',
    ]);
    expect(out.computed.overall_light).toBe('红');

    const values = YAML.parse(fs.readFileSync(example('performance-monitoring.yaml'), 'utf8'));
    delete values.indicators[0].causes;
    delete values.corrective;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eval-')), 'report.json');
    fs.writeFileSync(file, JSON.stringify(values));
    const bad = evalForm('performance-monitoring', file);
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout).problems).toEqual([
      { field: 'indicators[0].causes', message: '绩效指标第 1 行「偏差原因」此项必填' },
      { field: 'corrective', message: '「纠偏措施」此项必填' },
    ]);
  });

  it('scores the 事前绩效评估 example to its conclusion', () => {
    const r = evalForm('ex-ante-evaluation', example('ex-ante-evaluation.yaml'));
    expect(r.status, r.stdout).toBe(0);
    expect(JSON.parse(r.stdout).computed).toEqual({ total: 68, conclusion: '调整后支持' });
  });

  it('answers 2 for an unknown form or a file that is not values', () => {
    expect(evalForm('no-such-form', example('self-evaluation.yaml')).status).toBe(2);
    expect(evalForm('self-evaluation', path.join(root, 'no-such-file.yaml')).status).toBe(2);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eval-')), 'list.yaml');
    fs.writeFileSync(file, '- 1\n- 2\n');
    const r = evalForm('self-evaluation', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('应为“字段: 值”的对象');
  });
});
